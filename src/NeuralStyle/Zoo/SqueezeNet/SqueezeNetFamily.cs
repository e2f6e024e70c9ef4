namespace NeuralStyle.Zoo.SqueezeNet;

/// <summary>SqueezeNet 1.0 and 1.1: torchvision's models.</summary>
/// <remarks>Multiply-adds are torchvision's published "GFLOPS" (multiply-adds) at 224x224.</remarks>
public sealed class SqueezeNetFamily : IModelFamily
{
    /// <inheritdoc />
    public IEnumerable<ZooEntry> Entries =>
    [
        Entry("1_0", 1_248_424, 0.82, "58.09 / 80.42"),
        Entry("1_1", 1_235_496, 0.35, "58.18 / 80.62"),
    ];

    private static ZooEntry Entry(string version, long parameters, double multiplyAdds, string accuracy) =>
        new(
            new ModelInfo(
                "squeezenet" + version,
                "SqueezeNet",
                2016,
                new InputShape(3, 224, 224),
                1000,
                parameters,
                multiplyAdds,
                $"{accuracy} top-1 / top-5, torchvision",
                $"torchvision 0.14 (models.squeezenet{version})",
                ImagePreprocessing.ImageNet()),
            options => new SqueezeNetModel(version, options.Classes ?? 1000));
}
