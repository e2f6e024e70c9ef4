using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Losses;

/// <summary>Activation mappings applied before the losses (see <see cref="FeatureSmoothing"/>).</summary>
public static class FeatureSmoothers
{
    /// <summary>SWAG: softmax over all C*H*W entries of each image's activation, times C*H*W (so the mean is 1).</summary>
    public static Tensor Swag(Tensor features)
    {
        long n = features.shape[1] * features.shape[2] * features.shape[3];
        using Tensor flat = features.reshape(features.shape[0], n);
        using Tensor soft = nn.functional.softmax(flat, 1);
        return (soft * n).reshape(features.shape);
    }
}
