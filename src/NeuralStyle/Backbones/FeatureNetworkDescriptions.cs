using NeuralStyle.Transfer;
using NeuralStyle.Zoo.Vgg;

namespace NeuralStyle.Backbones;

/// <summary>Human-readable names of backbones.</summary>
public static class FeatureNetworkDescriptions
{
    /// <summary>A human-readable name of the backbone.</summary>
    public static string Description(this IFeatureNetwork network) => network switch
    {
        OnnxFeatureNetwork onnx => onnx.Description,
        ZooFeatureNetwork zoo => zoo.Description,
        VggFeatureNetwork vgg => $"VGG (MatConvNet, {vgg.Layers.Count(l => l.Kind == VggLayerKind.Convolution)} convolutions loaded, {vgg.Pooling.ToString().ToLowerInvariant()} pooling)",
        _ => network.GetType().Name,
    };

    /// <summary>Memory the loaded weights take: VGG's kept tensors and a zoo model's parameters; an ONNX model's decoded arrays plus their tensors (twice the file).</summary>
    public static long WeightBytes(this IFeatureNetwork network, string path) => network switch
    {
        VggFeatureNetwork vgg => vgg.Layers.Where(l => l.Weight is not null).Sum(l => (l.Weight!.numel() + l.Bias!.numel()) * 4),
        ZooFeatureNetwork zoo => zoo.Model.parameters().Sum(p => p.numel() * p.element_size()),
        _ => 2 * new FileInfo(path).Length,
    };
}
