using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Losses;

/// <summary>The seed's loss terms (Gatys et al. 2015 as written in anishathalye/neural-style).</summary>
/// <remarks>
/// The seed writes each term as 2 * tf.nn.l2_loss(d) / d.size, and l2_loss(d) = sum(d^2) / 2, so every term is a
/// plain mean of squares; writing it that way keeps the formulas readable and the numbers identical.
/// </remarks>
public static class GatysLosses
{
    /// <summary>Gram matrix of a 1 x C x H x W activation, divided by C*H*W as the seed does.</summary>
    public static Tensor Gram(Tensor features)
    {
        long c = features.shape[1];
        long n = features.shape[2] * features.shape[3];
        if (IsChannelsLast(features))
        {
            // Channels-last activations are N x H x W x C in memory: viewed as n x C they need no copy, and
            // F F^T = (n x C)^T (n x C).
            using Tensor pixels = features.permute(0, 2, 3, 1).reshape(n, c);
            return pixels.t().matmul(pixels).div_(c * n);
        }

        using Tensor flat = features.reshape(c, n);
        return flat.matmul(flat.t()).div_(c * n);
    }

    /// <summary>A 1 x C x H x W tensor laid out N x H x W x C in memory (and not also plainly contiguous).</summary>
    internal static bool IsChannelsLast(Tensor features)
    {
        if (features.dim() != 4 || features.is_contiguous())
        {
            return false;
        }

        long[] stride = features.stride();
        long c = features.shape[1], w = features.shape[3];
        return stride[1] == 1 && stride[3] == c && stride[2] == c * w;
    }

    /// <summary>mean((a - b)^2): the seed's 2 * l2_loss(a - b) / size.</summary>
    public static Tensor MeanSquaredError(Tensor a, Tensor b)
    {
        using Tensor d = a - b;
        return d.square().mean();
    }

    /// <summary>The seed's total-variation term of a 1 x 3 x H x W image, before its weight.</summary>
    /// <remarks>mean of squared vertical differences plus mean of squared horizontal differences.</remarks>
    public static Tensor TotalVariation(Tensor image)
    {
        long h = image.shape[2], w = image.shape[3];
        using Tensor dy = image[.., .., 1.., ..] - image[.., .., ..(int)(h - 1), ..];
        using Tensor dx = image[.., .., .., 1..] - image[.., .., .., ..(int)(w - 1)];
        using Tensor my = dy.square().mean();
        using Tensor mx = dx.square().mean();
        return my + mx;
    }
}
