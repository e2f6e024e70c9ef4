using NeuralStyle.Transfer.Losses;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

/// <summary>The Gaussian 2-Wasserstein style loss against its closed form.</summary>
public class StyleLossWasserstein2Tests
{
    /// <summary>C x N float64 samples whose empirical mean is exactly 0 and population covariance exactly I.</summary>
    private static Tensor WhiteNoise(ulong seed, long channels, long pixels)
    {
        using var scope = NewDisposeScope();
        Tensor z = StyleLossTests.Randn(seed, channels, pixels).to_type(ScalarType.Float64);
        z = z - z.mean([1], keepdim: true);
        Tensor covariance = z.matmul(z.t()) / pixels;
        Tensor lower = linalg.cholesky(covariance);
        return linalg.solve_triangular(lower, z, upper: false).MoveToOuterDisposeScope();
    }

    /// <summary>1 x C x H x W float32 activation A z + m: its pixels have mean m and covariance A A^T exactly.</summary>
    private static Tensor Gaussian(Tensor white, Tensor a, Tensor m, long h, long w)
    {
        using Tensor x = a.matmul(white) + m.unsqueeze(1);
        return x.to_type(ScalarType.Float32).reshape(1, a.shape[0], h, w);
    }

    /// <summary>sqrt of an SPD float64 matrix by eigh.</summary>
    private static Tensor Sqrtm(Tensor s)
    {
        using var scope = NewDisposeScope();
        (Tensor values, Tensor vectors) = linalg.eigh(s);
        return (vectors * values.clamp_min(0).sqrt().unsqueeze(0)).matmul(vectors.t()).MoveToOuterDisposeScope();
    }

    /// <summary>W2^2 / C between N(mx, sx) and N(ms, ss), all float64.</summary>
    private static double ClosedForm(Tensor mx, Tensor sx, Tensor ms, Tensor ss)
    {
        using var scope = NewDisposeScope();
        Tensor root = Sqrtm(ss);
        Tensor cross = Sqrtm(root.matmul(sx).matmul(root)).trace();
        Tensor w2 = (mx - ms).square().sum() + sx.trace() + ss.trace() - (cross * 2);
        return w2.item<double>() / mx.shape[0];
    }

    [Fact]
    public void MatchesTheClosedFormForGaussiansBuiltByHand()
    {
        const long c = 4;
        using var scope = NewDisposeScope();
        Tensor a = tensor(new double[] { 1.0, 0.2, 0.0, -0.3, 0.5, 1.5, 0.1, 0.0, 0.0, -0.4, 0.8, 0.2, 0.3, 0.0, 0.6, 1.2 }, [c, c]);
        Tensor b = tensor(new double[] { 2.0, 0.0, 0.5, 0.0, -0.7, 0.9, 0.0, 0.3, 0.1, 0.2, 1.1, 0.0, 0.0, 0.4, -0.2, 0.7 }, [c, c]);
        Tensor mx = tensor(new double[] { 0.5, -1.0, 2.0, 0.0 });
        Tensor ms = tensor(new double[] { 1.5, 0.0, 1.0, -0.5 });
        Tensor current = Gaussian(WhiteNoise(20, c, 6 * 7), a, mx, 6, 7);
        Tensor style = Gaussian(WhiteNoise(21, c, 5 * 9), b, ms, 5, 9);

        using IStyleTarget target = StyleLosses.Create(StyleLossKind.Wasserstein2).Target(style);
        float loss = target.Loss(current).item<float>();

        double expected = ClosedForm(mx, a.matmul(a.t()), ms, b.matmul(b.t()));
        Assert.True(expected > 0.5, $"closed form {expected}");
        Assert.Equal(expected, loss, expected * 1e-3);
    }

    [Fact]
    public void CommutingCovariancesGiveTheSumOfSquaredStdDifferences()
    {
        // Diagonal covariances diag(4, 1) and diag(1, 9), means (1, 0) and (0, 2):
        // W2^2 = 1 + 4 + (2 - 1)^2 + (1 - 3)^2 = 10, divided by C = 2.
        using var scope = NewDisposeScope();
        Tensor current = Gaussian(WhiteNoise(22, 2, 36), tensor(new double[] { 2, 0, 0, 1 }, [2, 2]), tensor(new double[] { 1, 0 }), 6, 6);
        Tensor style = Gaussian(WhiteNoise(23, 2, 30), tensor(new double[] { 1, 0, 0, 3 }, [2, 2]), tensor(new double[] { 0, 2 }), 5, 6);
        using IStyleTarget target = StyleLosses.Create(StyleLossKind.Wasserstein2).Target(style);
        Assert.Equal(5.0, target.Loss(current).item<float>(), 3);
    }

    [Fact]
    public void IsZeroForIdenticalFeatures()
    {
        using var scope = NewDisposeScope();
        Tensor style = StyleLossTests.Randn(24, 1, 8, 6, 6) * 3 + 1;
        using IStyleTarget target = StyleLosses.Create(StyleLossKind.Wasserstein2).Target(style);
        // tr(S) is about 9 per channel; float32 cancellation leaves about 1e-6 of it.
        Assert.Equal(0.0, target.Loss(style).item<float>(), 1e-3);
    }

    [Fact]
    public void OneChannelReducesToMeanAndPopulationStdDifferences()
    {
        using var scope = NewDisposeScope();
        Tensor current = StyleLossTests.Randn(25, 1, 1, 4, 5) * 2 + 1;
        Tensor style = StyleLossTests.Randn(26, 1, 1, 3, 7) * 0.5 - 1;
        using IStyleTarget target = StyleLosses.Create(StyleLossKind.Wasserstein2).Target(style);
        float loss = target.Loss(current).item<float>();

        static (double Mean, double Std) Moments(Tensor t)
        {
            double[] v = [.. t.data<float>().ToArray().Select(x => (double)x)];
            double mean = v.Average();
            return (mean, Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average()));
        }

        (double mx, double sx) = Moments(current);
        (double ms, double ss) = Moments(style);
        double expected = ((mx - ms) * (mx - ms)) + ((sx - ss) * (sx - ss));
        Assert.Equal(expected, loss, expected * 1e-4);
    }
}
