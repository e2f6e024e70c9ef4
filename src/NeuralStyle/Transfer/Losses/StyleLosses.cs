using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Losses;

/// <summary>A style-loss variant: turns the style image's activation of one layer into a target kept for the whole run.</summary>
public interface IStyleLoss
{
    /// <summary>Precomputes what the style's 1 x C x H x W activation contributes; the target owns its tensors (dispose it).</summary>
    IStyleTarget Target(Tensor styleFeatures);
}

/// <summary>The precomputed style statistics of one layer, compared with the current image's activation at every step.</summary>
public interface IStyleTarget : IDisposable
{
    /// <summary>Differentiable scalar loss between the current 1 x C x H x W activation and this target.</summary>
    Tensor Loss(Tensor features);
}

/// <summary>Creates the style-loss variants of <see cref="StyleLossKind"/>.</summary>
public static class StyleLosses
{
    /// <summary>The loss of <paramref name="kind"/>; <paramref name="seed"/> makes <see cref="StyleLossKind.Sliced"/>'s random directions repeatable (the others are deterministic).</summary>
    public static IStyleLoss Create(StyleLossKind kind, long? seed = null) => kind switch
    {
        StyleLossKind.Gram => new GramStyleLoss(),
        StyleLossKind.MeanStd => new MeanStdStyleLoss(),
        StyleLossKind.Wasserstein2 => new Wasserstein2StyleLoss(),
        StyleLossKind.Sliced => new SlicedWassersteinStyleLoss(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown style loss"),
    };
}

/// <summary>The seed's Gram term: mean((G(x) - G(s))^2) with G = F F^T / (C*H*W), computed by <see cref="GatysLosses"/>.</summary>
internal sealed class GramStyleLoss : ISummedStyleLoss
{
    public IReadOnlyList<int> Degrees { get; } = [2];

    public IStyleTarget Target(Tensor styleFeatures)
    {
        StyleLossFeatures.CheckActivation(styleFeatures);
        using var noGrad = no_grad();
        // Detached from any scope of the caller's: the target lives for the whole run and is disposed with it.
        return new GramTarget(GatysLosses.Gram(styleFeatures).DetachFromDisposeScope());
    }

    public IReadOnlyList<Tensor> Sums(Tensor features)
    {
        using Tensor flat = StyleLossFeatures.Channels(features);
        return [flat.matmul(flat.t())];
    }

    public ISummedStyleTarget TargetFromSums(IReadOnlyList<Tensor> totals, long pixels)
    {
        using var noGrad = no_grad();
        Tensor sum = totals[0];
        return new GramTarget((sum / (sum.shape[0] * pixels)).to_type(ScalarType.Float32).DetachFromDisposeScope());
    }

    private sealed class GramTarget(Tensor gram) : ISummedStyleTarget
    {
        public Tensor Loss(Tensor features)
        {
            StyleLossFeatures.CheckActivation(features);
            // The same two calls as GatysObjective so the numbers are bit-identical to the seed's term.
            using Tensor current = GatysLosses.Gram(features);
            return GatysLosses.MeanSquaredError(current, gram);
        }

        public Tensor LossFromSums(IReadOnlyList<Tensor> totals, long pixels)
        {
            Tensor sum = totals[0];
            using Tensor current = sum / (sum.shape[0] * pixels);
            using Tensor target = gram.to_type(sum.dtype);
            return GatysLosses.MeanSquaredError(current, target);
        }

        public void Dispose() => gram.Dispose();
    }
}
