namespace NeuralStyle.Zoo.Vgg;

/// <summary>VGG-11, -13, -16 and -19, plain and with batch normalisation: torchvision's models.</summary>
/// <remarks>Multiply-adds are torchvision's published "GFLOPS" (which count multiply-adds) at 224x224.</remarks>
public sealed class VggFamily : IModelFamily
{
    /// <inheritdoc />
    public IEnumerable<ZooEntry> Entries =>
    [
        Entry("vgg11", VggNet.ConfigurationA, false, 132_863_336, 7.61, "69.02 / 88.63"),
        Entry("vgg13", VggNet.ConfigurationB, false, 133_047_848, 11.31, "69.93 / 89.25"),
        Entry("vgg16", VggNet.ConfigurationD, false, 138_357_544, 15.47, "71.59 / 90.38"),
        Entry("vgg19", VggNet.ConfigurationE, false, 143_667_240, 19.63, "72.38 / 90.88"),
        Entry("vgg11_bn", VggNet.ConfigurationA, true, 132_868_840, 7.61, "70.37 / 89.81"),
        Entry("vgg13_bn", VggNet.ConfigurationB, true, 133_053_736, 11.31, "71.59 / 90.37"),
        Entry("vgg16_bn", VggNet.ConfigurationD, true, 138_365_992, 15.47, "73.36 / 91.52"),
        Entry("vgg19_bn", VggNet.ConfigurationE, true, 143_678_248, 19.63, "74.22 / 91.84"),
    ];

    private static ZooEntry Entry(string name, IReadOnlyList<int> configuration, bool batchNorm, long parameters, double multiplyAdds, string accuracy) =>
        new(
            new ModelInfo(
                name,
                "VGG",
                2014,
                new InputShape(3, 224, 224),
                1000,
                parameters,
                multiplyAdds,
                $"{accuracy} top-1 / top-5, torchvision",
                $"torchvision 0.14 (models.{name})",
                ImagePreprocessing.ImageNet(),
                StyleTransferLayout.Vgg),
            options => new VggNet(name, configuration, batchNorm, options.Classes ?? 1000));
}
