namespace NeuralStyle.Zoo.InceptionV3;

/// <summary>Inception v3 (Szegedy et al. 2015, "Rethinking the Inception Architecture for Computer Vision") as torchvision 0.14 builds it.</summary>
public sealed class InceptionV3Family : IModelFamily
{
    /// <summary>torchvision's count with aux_logits=True (our default), its num_params.</summary>
    public const long Parameters = 27_161_264;

    /// <summary>The count without AuxLogits (<see cref="ZooOptions.AuxiliaryHeads"/> false).</summary>
    public const long ParametersWithoutAuxiliaryHeads = 23_834_568;

    /// <inheritdoc />
    public IEnumerable<ZooEntry> Entries { get; } =
    [
        new ZooEntry(
            new ModelInfo(
                "inception_v3",
                "Inception v3",
                2015,
                new InputShape(3, 299, 299),
                1000,
                Parameters,
                5.71,
                "77.29 / 93.45 top-1 / top-5, torchvision",
                "torchvision 0.14 models.inception_v3(aux_logits=True, transform_input=False); 23,834,568 parameters without AuxLogits",
                ImagePreprocessing.ImageNet(299, 342)),
            options => new InceptionV3Model(options)),
    ];
}
