using NeuralStyle.Transfer.Losses;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

/// <summary>Newton-Schulz square roots against eigh, and their gradient against finite differences.</summary>
public class MatrixSqrtTests
{
    /// <summary>Random n x n SPD matrix B B^T / n + 0.05 I (eigenvalues from 0.05 to about 4).</summary>
    private static Tensor Spd(ulong seed, long n, ScalarType type)
    {
        using Tensor b = StyleLossTests.Randn(seed, n, n).to_type(type);
        using Tensor identity = eye(n, n, type);
        return (b.matmul(b.t()) / n) + (identity * 0.05);
    }

    private static double RelativeError(Tensor actual, Tensor expected)
    {
        using Tensor diff = actual - expected;
        return diff.norm().item<float>() / expected.norm().item<float>();
    }

    [Theory]
    [InlineData(40UL, 3L)]
    [InlineData(41UL, 8L)]
    [InlineData(42UL, 32L)]
    public void NewtonSchulzMatchesEighOnRandomSpdMatrices(ulong seed, long n)
    {
        using var scope = NewDisposeScope();
        Tensor a = Spd(seed, n, ScalarType.Float32);
        Tensor approximate = MatrixSqrt.NewtonSchulz(a);
        Tensor exact = MatrixSqrt.Eigen(a);

        Assert.Equal(ScalarType.Float32, approximate.dtype);
        Assert.True(RelativeError(approximate, exact) < 1e-3, $"n = {n}: {RelativeError(approximate, exact)}");
        Assert.True(RelativeError(exact.matmul(exact), a) < 1e-5);
    }

    [Fact]
    public void NewtonSchulzOfScaledMatricesScalesBySquareRoot()
    {
        // The Frobenius normalisation makes the iteration scale-free: sqrt(k M) = sqrt(k) sqrt(M).
        using var scope = NewDisposeScope();
        Tensor a = Spd(43, 6, ScalarType.Float32);
        Tensor big = MatrixSqrt.NewtonSchulz(a * 1e4);
        Tensor expected = MatrixSqrt.Eigen(a) * 100;
        Assert.True(RelativeError(big, expected) < 1e-3);
    }

    [Fact]
    public void ZeroMatrixGivesZeroWithAFiniteGradient()
    {
        using var scope = NewDisposeScope();
        Tensor a = zeros([3, 3], ScalarType.Float32).requires_grad_(true);
        Tensor root = MatrixSqrt.NewtonSchulz(a);
        root.trace().backward();
        Assert.All(root.data<float>().ToArray(), v => Assert.Equal(0f, v));
        Assert.All(a.grad!.data<float>().ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void GradientMatchesFiniteDifferencesInFloat64()
    {
        using var scope = NewDisposeScope();
        Tensor a0 = Spd(44, 3, ScalarType.Float64);
        Tensor weights = StyleLossTests.Randn(45, 3, 3).to_type(ScalarType.Float64);
        double F(Tensor a)
        {
            using var inner = NewDisposeScope();
            return (MatrixSqrt.NewtonSchulz(a) * weights).sum().item<double>();
        }

        Tensor a = a0.clone().requires_grad_(true);
        (MatrixSqrt.NewtonSchulz(a) * weights).sum().backward();
        double[] analytic = a.grad!.data<double>().ToArray();

        const double h = 1e-6;
        double[] flat = a0.data<double>().ToArray();
        for (int i = 0; i < flat.Length; i++)
        {
            double[] plus = (double[])flat.Clone(), minus = (double[])flat.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (F(tensor(plus, [3, 3])) - F(tensor(minus, [3, 3]))) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) < 1e-6 * Math.Max(1, Math.Abs(numeric)), $"entry {i}: finite difference {numeric}, autograd {analytic[i]}");
        }
    }

    [Fact]
    public void EigenKeepsTheInputTypeAndClampsRoundingBelowZero()
    {
        using var scope = NewDisposeScope();
        // Rank one: eigenvalues 0, 0, 14 (rounding may make the zeros slightly negative).
        Tensor v = tensor(new float[] { 1, 2, 3 }, [3, 1]);
        Tensor a = v.matmul(v.t());
        Tensor root = MatrixSqrt.Eigen(a);
        Assert.Equal(ScalarType.Float32, root.dtype);
        Assert.All(root.data<float>().ToArray(), x => Assert.True(float.IsFinite(x)));
        Assert.True(RelativeError(root.matmul(root), a) < 1e-5);
    }
}
