namespace NeuralStyle.Backbones;

/// <summary>VGG-19's convolutional layer names, in order (the names MatConvNet, the seed and Gatys et al. use).</summary>
public static class Vgg19Layout
{
    /// <summary>conv1_1 .. relu5_4: the layers the seed builds (pool5 and the classifier are not needed).</summary>
    public static IReadOnlyList<string> LayerNames { get; } =
    [
        "conv1_1", "relu1_1", "conv1_2", "relu1_2", "pool1",
        "conv2_1", "relu2_1", "conv2_2", "relu2_2", "pool2",
        "conv3_1", "relu3_1", "conv3_2", "relu3_2", "conv3_3", "relu3_3", "conv3_4", "relu3_4", "pool3",
        "conv4_1", "relu4_1", "conv4_2", "relu4_2", "conv4_3", "relu4_3", "conv4_4", "relu4_4", "pool4",
        "conv5_1", "relu5_1", "conv5_2", "relu5_2", "conv5_3", "relu5_3", "conv5_4", "relu5_4",
    ];

    /// <summary>The kind of a layer, read from its name prefix as the seed does.</summary>
    public static VggLayerKind KindOf(string name) => name[..4] switch
    {
        "conv" => VggLayerKind.Convolution,
        "relu" => VggLayerKind.Relu,
        "pool" => VggLayerKind.Pool,
        _ => throw new ArgumentException($"'{name}' is not a VGG convolutional-part layer name", nameof(name)),
    };

    /// <summary>Output channels of each convolution block of the real VGG-19 (for benchmarks and size estimates).</summary>
    public static IReadOnlyList<int> BlockChannels { get; } = [64, 128, 256, 512, 512];
}
