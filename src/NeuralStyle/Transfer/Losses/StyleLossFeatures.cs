using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Losses;

/// <summary>Shape checks and reshapes shared by the style-loss variants.</summary>
internal static class StyleLossFeatures
{
    /// <summary>Throws unless <paramref name="features"/> is a single image's 1 x C x H x W activation.</summary>
    public static void CheckActivation(Tensor features)
    {
        // A batch would silently mix images in the C x (H*W) reshape below, so refuse it.
        if (features.dim() != 4 || features.shape[0] != 1)
        {
            throw new ArgumentException($"expected a 1 x C x H x W activation, got [{string.Join(", ", features.shape)}]", nameof(features));
        }
    }

    /// <summary>The activation as C x (H*W): one row per channel, one column per pixel.</summary>
    public static Tensor Channels(Tensor features)
    {
        CheckActivation(features);
        return features.reshape(features.shape[1], features.shape[2] * features.shape[3]);
    }
}
