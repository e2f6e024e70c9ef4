using NeuralStyle.Backbones;
using NeuralStyle.Transfer;
using NeuralStyle.Zoo.Vgg;

namespace NeuralStyle.Cli;

/// <summary>Human-readable names of backbones.</summary>
internal static class FeatureNetworkDescriptions
{
    public static string Description(this IFeatureNetwork network) => network switch
    {
        OnnxFeatureNetwork onnx => onnx.Description,
        VggFeatureNetwork vgg => $"VGG (MatConvNet, {vgg.Layers.Count(l => l.Kind == VggLayerKind.Convolution)} convolutions loaded, {vgg.Pooling.ToString().ToLowerInvariant()} pooling)",
        _ => network.GetType().Name,
    };
}
