using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Losses;

/// <summary>
/// Matches per-channel first and second moments: loss = mean_c((mu_x,c - mu_s,c)^2) + mean_c((sigma_x,c - sigma_s,c)^2),
/// with mu_c = mean over the H*W pixels and sigma_c = sqrt(var_c + <see cref="Epsilon"/>), var_c the population variance
/// (divided by H*W).
/// </summary>
internal sealed class MeanStdStyleLoss : IStyleLoss
{
    /// <summary>Added to the variance inside the square root: d sqrt(v)/dv is infinite at v = 0 (a dead ReLU channel).</summary>
    public const double Epsilon = 1e-5;

    public IStyleTarget Target(Tensor styleFeatures)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        (Tensor mean, Tensor std) = Moments(styleFeatures);
        return new MeanStdTarget(mean.DetachFromDisposeScope(), std.DetachFromDisposeScope());
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

    private sealed class MeanStdTarget(Tensor mean, Tensor std) : IStyleTarget
    {
        public Tensor Loss(Tensor features)
        {
            using var scope = NewDisposeScope();
            (Tensor m, Tensor s) = Moments(features);
            return (GatysLosses.MeanSquaredError(m, mean) + GatysLosses.MeanSquaredError(s, std)).MoveToOuterDisposeScope();
        }

        public void Dispose()
        {
            mean.Dispose();
            std.Dispose();
        }
    }
}
