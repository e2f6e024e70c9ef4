using NeuralStyle.Transfer;

namespace NeuralStyle.Backbones.VggSources;

/// <summary>The numbers of each <see cref="VggInputConvention"/>, and their names in messages, manifests and metadata.</summary>
public static class VggInputConventions
{
    /// <summary>ImageNet's per-channel mean (RGB, 0..1) used by torchvision's preprocessing.</summary>
    public static IReadOnlyList<float> TorchvisionMean { get; } = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet's per-channel std (RGB, 0..1) used by torchvision's preprocessing.</summary>
    public static IReadOnlyList<float> TorchvisionStd { get; } = [0.229f, 0.224f, 0.225f];

    /// <summary>The Caffe VGG mean pixel in RGB order (Caffe itself lists it as BGR 103.939, 116.779, 123.68).</summary>
    public static IReadOnlyList<float> CaffeMeanRgb { get; } = [123.68f, 116.779f, 103.939f];

    /// <summary>The convention's name as written in safetensors metadata and accepted back ("torchvision", "caffe", "matconvnet").</summary>
    public static string Key(VggInputConvention convention) => convention switch
    {
        VggInputConvention.Torchvision => "torchvision",
        VggInputConvention.Caffe => "caffe",
        _ => "matconvnet",
    };

    /// <summary>The convention named by <paramref name="key"/> (see <see cref="Key"/>), or null.</summary>
    public static VggInputConvention? Parse(string key) => key.Trim().ToLowerInvariant() switch
    {
        "torchvision" => VggInputConvention.Torchvision,
        "caffe" => VggInputConvention.Caffe,
        "matconvnet" => VggInputConvention.MatConvNet,
        _ => null,
    };

    /// <summary>A short description for the console and the manifest.</summary>
    public static string Describe(VggInputConvention convention) => convention switch
    {
        VggInputConvention.Torchvision => "input RGB 0..1 normalised by ImageNet mean/std",
        VggInputConvention.Caffe => "input BGR 0..255 minus the mean pixel",
        _ => "input RGB 0..255 minus the mean pixel",
    };

    /// <summary>The convention as the file expects it (before folding), for reference and tests.</summary>
    /// <param name="convention">The file's convention.</param>
    /// <param name="meanRgb">The mean pixel of a MatConvNet file (RGB, 0..255); ignored for the other conventions.</param>
    public static PixelConvention Pixels(VggInputConvention convention, IReadOnlyList<float>? meanRgb = null) => convention switch
    {
        VggInputConvention.Torchvision => new PixelConvention([.. TorchvisionMean], [.. TorchvisionStd], 1 / 255f, bgr: false),
        VggInputConvention.Caffe => new PixelConvention([.. CaffeMeanRgb], null, 1, bgr: true),
        _ => meanRgb is { Count: 3 }
            ? new PixelConvention(meanRgb[0], meanRgb[1], meanRgb[2])
            : throw new ArgumentException("a MatConvNet convention needs the file's mean pixel", nameof(meanRgb)),
    };
}
