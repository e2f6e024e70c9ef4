using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Losses;

/// <summary>
/// Squared 2-Wasserstein distance between the Gaussian fits of the two activations' pixel distributions, divided by C:
/// loss = ( |mu_x - mu_s|^2 + tr(S_x) + tr(S_s) - 2 tr( (S_s^{1/2} S_x S_s^{1/2})^{1/2} ) ) / C,
/// with mu the per-channel mean over the H*W pixels and S the C x C population covariance (divided by H*W).
/// </summary>
/// <remarks>
/// Dividing by C makes it the mean per channel, so layers of different widths have comparable magnitudes (for C = 1 it
/// is (mu_x - mu_s)^2 + (sigma_x - sigma_s)^2). The style's mean, S_s^{1/2} and tr(S_s) are computed once in float64
/// (eigh) and stored in the features' type; the current image's inner square root is <see cref="MatrixSqrt.NewtonSchulz"/>
/// in the features' type. The loss is a difference of traces, so in float32 it is zero only to about 1e-6 of tr(S) and
/// can be slightly negative near the optimum; it is not clamped, because clamping would stop the gradient there.
/// </remarks>
internal sealed class Wasserstein2StyleLoss(int iterations = MatrixSqrt.DefaultIterations) : ISummedStyleLoss
{
    public IReadOnlyList<int> Degrees { get; } = [1, 2];

    public IReadOnlyList<Tensor> Sums(Tensor features)
    {
        using Tensor flat = StyleLossFeatures.Channels(features);
        return [flat.sum([1], keepdim: true), flat.matmul(flat.t())];
    }

    public ISummedStyleTarget TargetFromSums(IReadOnlyList<Tensor> totals, long pixels)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        (Tensor mean, Tensor covariance) = MomentsFromSums([.. totals.Select(t => t.to_type(ScalarType.Float64))], pixels);
        return NewTarget(mean, covariance, ScalarType.Float32);
    }

    // Mean (C x 1) and population covariance from the sums of x (C x 1) and x x^T (C x C).
    private static (Tensor Mean, Tensor Covariance) MomentsFromSums(IReadOnlyList<Tensor> totals, long pixels)
    {
        Tensor mean = totals[0] / pixels;
        Tensor covariance = (totals[1] / pixels) - mean.matmul(mean.t());
        return (mean, (covariance + covariance.t()) * 0.5);
    }

    // The target from the style's float64 mean and covariance, stored in the features' type.
    private Wasserstein2Target NewTarget(Tensor mean, Tensor covariance, ScalarType type)
    {
        Tensor root = MatrixSqrt.Eigen(covariance);
        return new Wasserstein2Target(
            mean.to_type(type).DetachFromDisposeScope(),
            root.to_type(type).DetachFromDisposeScope(),
            covariance.trace().to_type(type).DetachFromDisposeScope(),
            iterations);
    }

    public IStyleTarget Target(Tensor styleFeatures)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // float64 for the one-off target: the eigen-decomposition and the trace should not add float32 error to every step.
        using Tensor flat = StyleLossFeatures.Channels(styleFeatures);
        Tensor wide = flat.to_type(ScalarType.Float64);
        (Tensor mean, Tensor covariance) = Moments(wide);
        return NewTarget(mean, covariance, styleFeatures.dtype);
    }

    /// <summary>Mean (C x 1) and population covariance (C x C) of a C x N matrix of pixels.</summary>
    private static (Tensor Mean, Tensor Covariance) Moments(Tensor flat)
    {
        Tensor mean = flat.mean([1], keepdim: true);
        // Centre before multiplying: the one-pass E[xx^T] - mu mu^T loses float32 digits when the mean is large.
        using Tensor centred = flat - mean;
        return (mean, centred.matmul(centred.t()).div_(flat.shape[1]));
    }

    private sealed class Wasserstein2Target(Tensor mean, Tensor styleRoot, Tensor styleTrace, int iterations) : ISummedStyleTarget
    {
        public Tensor Loss(Tensor features)
        {
            using var scope = NewDisposeScope();
            Tensor flat = StyleLossFeatures.Channels(features);
            (Tensor mu, Tensor covariance) = Moments(flat);
            return Distance(mu, covariance, features.shape[1]).MoveToOuterDisposeScope();
        }

        public Tensor LossFromSums(IReadOnlyList<Tensor> totals, long pixels)
        {
            using var scope = NewDisposeScope();
            // The moments from the totals in their type (float64 when tiled), the distance in the style target's, as
            // the untiled loss computes it: Newton-Schulz's rounding then matches the untiled run's.
            (Tensor mu, Tensor covariance) = MomentsFromSums(totals, pixels);
            return Distance(mu.to_type(mean.dtype), covariance.to_type(mean.dtype), mu.shape[0]).MoveToOuterDisposeScope();
        }

        // W2^2 / C between the current mean and covariance and the style's, in the current statistics' type.
        private Tensor Distance(Tensor mu, Tensor covariance, long channels)
        {
            Tensor root = styleRoot.to_type(covariance.dtype);
            Tensor inner = root.matmul(covariance).matmul(root);
            // Symmetric in exact arithmetic; symmetrising keeps the Newton-Schulz iterates symmetric too.
            inner = (inner + inner.t()) * 0.5;
            Tensor crossTrace = MatrixSqrt.NewtonSchulz(inner, iterations).trace();
            Tensor meanTerm = (mu - mean.to_type(mu.dtype)).square().sum();
            Tensor w2 = meanTerm + covariance.trace() + styleTrace.to_type(mu.dtype) - (crossTrace * 2);
            return w2 / channels;
        }

        public void Dispose()
        {
            mean.Dispose();
            styleRoot.Dispose();
            styleTrace.Dispose();
        }
    }
}
