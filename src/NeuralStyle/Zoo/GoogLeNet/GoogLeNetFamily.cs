namespace NeuralStyle.Zoo.GoogLeNet;

/// <summary>GoogLeNet (Szegedy et al. 2014, "Going deeper with convolutions") as torchvision 0.14 builds it.</summary>
public sealed class GoogLeNetFamily : IModelFamily
{
    /// <summary>torchvision's count with aux_logits=True (our default); its published 6,624,904 is without the heads.</summary>
    public const long Parameters = 13_004_888;

    /// <summary>The count without the auxiliary heads (<see cref="ZooOptions.AuxiliaryHeads"/> false), torchvision's num_params.</summary>
    public const long ParametersWithoutAuxiliaryHeads = 6_624_904;

    /// <inheritdoc />
    public IEnumerable<ZooEntry> Entries { get; } =
    [
        new ZooEntry(
            new ModelInfo(
                "googlenet",
                "GoogLeNet",
                2014,
                new InputShape(3, 224, 224),
                1000,
                Parameters,
                1.50,
                "69.78 / 89.53 top-1 / top-5, torchvision (paper: 10.07% top-5 error, single model)",
                "torchvision 0.14 models.googlenet(aux_logits=True, transform_input=False); 6,624,904 parameters without the aux heads",
                ImagePreprocessing.ImageNet(224, 256)),
            options => new GoogLeNetModel(options)),
    ];
}
