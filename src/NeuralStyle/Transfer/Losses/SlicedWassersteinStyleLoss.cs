using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Losses;

/// <summary>
/// Sliced Wasserstein style loss (Heitz et al. 2021): at every <see cref="IStyleTarget.Loss"/> call, K random unit
/// directions v_k in R^C are drawn afresh, both activations' pixels (rows of the H*W x C matrices) are projected on them,
/// each projection is sorted, and loss = mean over pixels i and directions k of (sort(X v_k)_i - q_k(i))^2.
/// </summary>
/// <remarks>
/// q_k(i) is the style's sorted projection itself when both have the same pixel count N. Otherwise it is resampled to N
/// values by quantile matching: sample i of N stands for the quantile (i + 1/2) / N, which is position
/// p = (i + 1/2) Ns / N - 1/2 among the Ns sorted style values (clamped to [0, Ns - 1]), linearly interpolated between
/// its two neighbours. The mean (not the sum) keeps magnitudes comparable across layers and image sizes. With a seed,
/// target number t draws its directions from its own generator seeded with seed + t, so a seeded run repeats exactly;
/// without one, a seed is drawn: LibTorch's global generator is never used.
/// </remarks>
internal sealed class SlicedWassersteinStyleLoss(long? seed, int? directions = null) : IStyleLoss
{
    private long _targets;

    public IStyleTarget Target(Tensor styleFeatures)
    {
        if (directions is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(directions), directions, "need at least one direction");
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor pixels = StyleLossFeatures.Channels(styleFeatures).t().contiguous();
        long s = seed ?? StyleTransfer.NewSeed();
        var generator = new Generator(unchecked((ulong)(s + _targets)), CPU);
        _targets++;
        return new SlicedTarget(pixels.DetachFromDisposeScope(), directions ?? (int)styleFeatures.shape[1], generator);
    }

    /// <summary>The Ns sorted style values per column resampled to <paramref name="count"/> rows by linear interpolation of the quantiles.</summary>
    internal static Tensor Resample(Tensor sorted, long count)
    {
        long ns = sorted.shape[0];
        if (ns == count)
        {
            return sorted.alias();
        }

        using var scope = NewDisposeScope();
        Tensor position = ((arange(count, ScalarType.Float64) + 0.5) * ((double)ns / count) - 0.5).clamp(0, ns - 1);
        Tensor lower = position.floor();
        Tensor upper = (lower + 1).clamp_max(ns - 1);
        Tensor weight = (position - lower).to_type(sorted.dtype).unsqueeze(1);
        Tensor low = sorted.index_select(0, lower.to_type(ScalarType.Int64));
        Tensor high = sorted.index_select(0, upper.to_type(ScalarType.Int64));
        return (low + ((high - low) * weight)).MoveToOuterDisposeScope();
    }

    private sealed class SlicedTarget(Tensor stylePixels, int directions, Generator? generator) : IStyleTarget
    {
        public Tensor Loss(Tensor features)
        {
            using var scope = NewDisposeScope();
            Tensor pixels = StyleLossFeatures.Channels(features).t();
            long c = pixels.shape[1];
            if (c != stylePixels.shape[1])
            {
                throw new ArgumentException($"the activation has {c} channels, the style target {stylePixels.shape[1]}", nameof(features));
            }

            // Drawn on the CPU generator (that is where a seeded generator lives), then moved to the features' device.
            Tensor v = randn(c, directions, ScalarType.Float32, generator: generator);
            v = (v / v.norm(0, keepdim: true)).to(features.dtype, features.device);
            (Tensor current, _) = pixels.matmul(v).sort(0);
            (Tensor style, _) = stylePixels.matmul(v).sort(0);
            Tensor target = Resample(style, current.shape[0]);
            return GatysLosses.MeanSquaredError(current, target).MoveToOuterDisposeScope();
        }

        public void Dispose()
        {
            stylePixels.Dispose();
            generator?.Dispose();
        }
    }
}
