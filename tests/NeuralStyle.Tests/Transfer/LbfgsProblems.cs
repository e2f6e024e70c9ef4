using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

/// <summary>Test functions with known minimisers, as closures for Lbfgs (a helper; the file name fits the Lbfgs*Tests.cs pattern).</summary>
internal static class LbfgsProblems
{
    /// <summary>f(x) = 1/2 x^T A x - b^T x with A = Q diag(eigenvalues) Q^T, Q a seeded random rotation; x* = A^-1 b.</summary>
    internal sealed class Quadratic : IDisposable
    {
        public Quadratic(int n, double minEigenvalue, double maxEigenvalue, ScalarType dtype = ScalarType.Float64, long seed = 7)
        {
            using var scope = NewDisposeScope();
            var generator = new TorchSharp.torch.Generator((ulong)seed);
            Tensor q = linalg.qr(randn(n, n, dtype: ScalarType.Float64, generator: generator)).Q;
            Tensor eigenvalues = linspace(minEigenvalue, maxEigenvalue, n, dtype: ScalarType.Float64);
            Tensor a = q.matmul(diag(eigenvalues)).matmul(q.T);
            Tensor b = randn(n, dtype: ScalarType.Float64, generator: generator);
            A = a.to_type(dtype).MoveToOuterDisposeScope();
            B = b.to_type(dtype).MoveToOuterDisposeScope();
            Minimiser = linalg.solve(a, b).to_type(dtype).MoveToOuterDisposeScope();
        }

        public Tensor A { get; }

        public Tensor B { get; }

        public Tensor Minimiser { get; }

        public Tensor Loss(Tensor x)
        {
            Tensor loss = (0.5 * x.dot(A.matmul(x))) - B.dot(x);
            loss.backward();
            return loss;
        }

        public double DistanceToMinimiser(Tensor x)
        {
            using var scope = NewDisposeScope();
            return (x.detach() - Minimiser).norm().to_type(ScalarType.Float64).item<double>();
        }

        public void Dispose()
        {
            A.Dispose();
            B.Dispose();
            Minimiser.Dispose();
        }
    }

    /// <summary>(1 - x0)^2 + 100 (x1 - x0^2)^2, minimal at (1, 1).</summary>
    public static Tensor Rosenbrock(Tensor x)
    {
        Tensor x0 = x[0], x1 = x[1];
        Tensor loss = (1 - x0).square() + (100 * (x1 - x0.square()).square());
        loss.backward();
        return loss;
    }

    public static double[] Values(Tensor x) =>
        x.detach().to_type(ScalarType.Float64).data<double>().ToArray();
}
