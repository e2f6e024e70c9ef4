namespace NeuralStyle.Zoo.ResNet;

/// <summary>ResNet-18/34/50/101/152 (He et al. 2015) as torchvision builds them (v1.5 bottlenecks).</summary>
/// <remarks>Parameter counts and accuracies are torchvision's <c>IMAGENET1K_V1</c> meta; multiply-adds are the "GFLOPS" of later torchvision meta (really multiply-adds), at 3x224x224.</remarks>
public sealed class ResNetFamily : IModelFamily
{
    private const string Reference = "torchvision 0.14 resnet (v1.5: stride on the bottleneck's 3x3)";

    /// <inheritdoc />
    public IEnumerable<ZooEntry> Entries =>
    [
        Entry("resnet18", bottleneck: false, [2, 2, 2, 2], 11_689_512, 1.81, "69.76 / 89.08 top-1 / top-5, torchvision"),
        Entry("resnet34", bottleneck: false, [3, 4, 6, 3], 21_797_672, 3.66, "73.31 / 91.42 top-1 / top-5, torchvision"),
        Entry("resnet50", bottleneck: true, [3, 4, 6, 3], 25_557_032, 4.09, "76.13 / 92.86 top-1 / top-5, torchvision"),
        Entry("resnet101", bottleneck: true, [3, 4, 23, 3], 44_549_160, 7.80, "77.37 / 93.55 top-1 / top-5, torchvision"),
        Entry("resnet152", bottleneck: true, [3, 8, 36, 3], 60_192_808, 11.51, "78.31 / 94.05 top-1 / top-5, torchvision"),
    ];

    private static ZooEntry Entry(string name, bool bottleneck, int[] blocks, long parameters, double multiplyAdds, string accuracy) =>
        new(
            new ModelInfo(name, "ResNet", 2015, new InputShape(3, 224, 224), 1000, parameters, multiplyAdds, accuracy, Reference, ImagePreprocessing.ImageNet(), StyleTransferLayout.ResNet),
            options => new ResNetModel(name, bottleneck, blocks, options.Classes ?? 1000));
}
