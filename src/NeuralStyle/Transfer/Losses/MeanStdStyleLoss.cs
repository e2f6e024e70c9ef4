using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Losses;

/// <summary>
/// Matches per-channel first and second moments: loss = mean_c((mu_x,c - mu_s,c)^2) + mean_c((sigma_x,c - sigma_s,c)^2),
/// with mu_c = mean over the H*W pixels and sigma_c = sqrt(var_c + <see cref="Epsilon"/>), var_c the population variance
/// (divided by H*W).
/// </summary>
internal sealed class MeanStdStyleLoss : ISummedStyleLoss
{
    public IReadOnlyList<int> Degrees { get; } = [1, 2];

    /// <summary>Added to the variance inside the square root: d sqrt(v)/dv is infinite at v = 0 (a dead ReLU channel).</summary>
    public const double Epsilon = 1e-5;

    public IStyleTarget Target(Tensor styleFeatures)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        (Tensor mean, Tensor std) = Moments(styleFeatures);
        return new MeanStdTarget(mean.DetachFromDisposeScope(), std.DetachFromDisposeScope());
    }

    public IReadOnlyList<Tensor> Sums(Tensor features)
    {
        using Tensor flat = StyleLossFeatures.Channels(features);
        return [flat.sum(1), flat.square().sum(1)];
    }

    public ISummedStyleTarget TargetFromSums(IReadOnlyList<Tensor> totals, long pixels)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        (Tensor mean, Tensor std) = MomentsFromSums(totals, pixels);
        return new MeanStdTarget(mean.to_type(ScalarType.Float32).DetachFromDisposeScope(), std.to_type(ScalarType.Float32).DetachFromDisposeScope());
    }

    // Mean and standard deviation from the sums of x and x^2 (the one-pass formula, in the sums' type: float64 when
    // gathered by tiles, so the cancellation in E[x^2] - E[x]^2 costs no float32 digits).
    private static (Tensor Mean, Tensor Std) MomentsFromSums(IReadOnlyList<Tensor> totals, long pixels)
    {
        Tensor mean = totals[0] / pixels;
        using Tensor variance = ((totals[1] / pixels) - mean.square()).clamp_min(0);
        return (mean, (variance + Epsilon).sqrt());
    }

    /// <summary>Per-channel mean and epsilon-regularised population standard deviation, each of length C.</summary>
    private static (Tensor Mean, Tensor Std) Moments(Tensor features)
    {
        using Tensor flat = StyleLossFeatures.Channels(features);
        (Tensor variance, Tensor mean) = flat.var_mean(1, unbiased: false, keepdim: false);
        using (variance)
        {
            return (mean, (variance + Epsilon).sqrt_());
        }
    }

    private sealed class MeanStdTarget(Tensor mean, Tensor std) : ISummedStyleTarget
    {
        public Tensor Loss(Tensor features)
        {
            using var scope = NewDisposeScope();
            (Tensor m, Tensor s) = Moments(features);
            return (GatysLosses.MeanSquaredError(m, mean) + GatysLosses.MeanSquaredError(s, std)).MoveToOuterDisposeScope();
        }

        public Tensor LossFromSums(IReadOnlyList<Tensor> totals, long pixels)
        {
            using var scope = NewDisposeScope();
            (Tensor m, Tensor s) = MomentsFromSums(totals, pixels);
            return (GatysLosses.MeanSquaredError(m, mean.to_type(m.dtype)) + GatysLosses.MeanSquaredError(s, std.to_type(s.dtype))).MoveToOuterDisposeScope();
        }

        public void Dispose()
        {
            mean.Dispose();
            std.Dispose();
        }
    }
}
