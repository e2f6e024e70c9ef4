using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Losses;

/// <summary>Activation mappings applied before the losses (see <see cref="FeatureSmoothing"/>).</summary>
public static class FeatureSmoothers
{
    /// <summary>SWAG: softmax over all C*H*W entries of each image's activation divided by <paramref name="temperature"/>, times C*H*W (so the mean is 1).</summary>
    /// <remarks>
    /// The paper's softmax has no temperature. ResNet activations reach 20..50 here, so exp() turns a layer into a
    /// few dominant entries and the optimisation oscillates; dividing by a fixed per-layer scale (the content image's
    /// activation standard deviation, see <see cref="Temperature"/>) keeps the softmax smooth, which is the point.
    /// </remarks>
    public static Tensor Swag(Tensor features, double temperature = 1)
    {
        long n = features.shape[1] * features.shape[2] * features.shape[3];
        using Tensor scaled = temperature == 1 ? features.alias() : features / temperature;
        using Tensor flat = scaled.reshape(features.shape[0], n);
        using Tensor soft = nn.functional.softmax(flat, 1);
        return (soft * n).reshape(features.shape);
    }

    /// <summary>The temperature <see cref="Swag"/> uses for a layer: the standard deviation of a reference activation (at least 1e-6).</summary>
    public static double Temperature(Tensor reference) => Math.Max(reference.std().item<float>(), 1e-6);
}
