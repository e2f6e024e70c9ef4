using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Losses;

/// <summary>Activation mappings applied before the losses (see <see cref="FeatureSmoothing"/>).</summary>
public static class FeatureSmoothers
{
    /// <summary>SWAG: softmax over all C*H*W entries of each image's activation divided by <paramref name="temperature"/>, times C*H*W (so the mean is 1).</summary>
    /// <remarks>
    /// The paper's softmax has no temperature. ResNet activations reach 20..50 here, so exp() turns a layer into a
    /// few dominant entries and the style loss does not fall; dividing by a fixed per-layer scale (a multiple of the
    /// content image's activation standard deviation, see <see cref="Temperature"/>) keeps the softmax smooth, which is
    /// the point of SWAG.
    /// </remarks>
    public static Tensor Swag(Tensor features, double temperature = 1)
    {
        long n = features.shape[1] * features.shape[2] * features.shape[3];
        using Tensor scaled = temperature == 1 ? features.alias() : features / temperature;
        using Tensor flat = scaled.reshape(features.shape[0], n);
        using Tensor soft = nn.functional.softmax(flat, 1);
        return (soft * n).reshape(features.shape);
    }

    /// <summary>How many standard deviations of the content's activation make one unit of the softmax's input.</summary>
    /// <remarks>
    /// Chosen on the example images with the bundled ResNet-18 (chelsea + hubble, 256 px, 200 Adam steps): at 1 and 2
    /// the style loss does not fall (the softmax is still a handful of spikes); at 8 and 16 it falls but the result is
    /// the same dark blur as no smoothing; at 4 it falls tenfold and the cat stays recognisable under the style.
    /// </remarks>
    public const double TemperatureInStandardDeviations = 4;

    /// <summary>The temperature <see cref="Swag"/> uses for a layer, from a reference activation (the content image's).</summary>
    public static double Temperature(Tensor reference) =>
        Math.Max(reference.std().item<float>() * TemperatureInStandardDeviations, 1e-6);
}
