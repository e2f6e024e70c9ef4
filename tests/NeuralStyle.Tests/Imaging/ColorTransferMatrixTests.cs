using CsCheck;
using NeuralStyle.Imaging;
using Xunit;

namespace NeuralStyle.Tests.Imaging;

/// <summary>The 3×3 linear algebra under <see cref="ColorTransfer"/>: Jacobi eigen-decomposition, Cholesky, inverse.</summary>
public sealed class ColorTransferMatrixTests
{
    private static readonly Gen<Matrix3> Symmetric =
        Gen.Double[-100, 100].Array[6].Select(v => Matrix3.FromRows(v[0], v[1], v[2], v[1], v[3], v[4], v[2], v[4], v[5]));

    /// <summary>Symmetric positive definite: B Bᵀ + I for a random B.</summary>
    private static readonly Gen<Matrix3> PositiveDefinite =
        Gen.Double[-10, 10].Array[9].Select(v =>
        {
            var b = Matrix3.FromRows(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
            return (b * b.Transpose()) + Matrix3.Identity;
        });

    /// <summary>The symmetric square root V diag(√λ) Vᵀ, computed independently of the code under test's use of it.</summary>
    internal static Matrix3 SymmetricRoot(Matrix3 m)
    {
        var (values, vectors) = m.SymmetricEigen();
        return Matrix3.FromEigen([.. values.Select(Math.Sqrt)], vectors);
    }

    [Fact]
    public void EigenDecompositionReconstructsTheMatrixWithOrthogonalVectors()
    {
        Symmetric.Sample(m =>
        {
            var (values, vectors) = m.SymmetricEigen();

            ColorTransferTests.AssertClose(m, Matrix3.FromEigen(values, vectors), 1e-12);
            ColorTransferTests.AssertClose(Matrix3.Identity, vectors.Transpose() * vectors, 1e-12);
        });
    }

    [Fact]
    public void EigenvaluesOfAKnownMatrix()
    {
        // [[2,1,0],[1,2,0],[0,0,5]] has eigenvalues 1, 3 (from the 2×2 block, 2 ∓ 1) and 5.
        var (values, _) = Matrix3.FromRows(2, 1, 0, 1, 2, 0, 0, 0, 5).SymmetricEigen();

        var sorted = values.Order().ToArray();
        Assert.Equal(1, sorted[0], 1e-12);
        Assert.Equal(3, sorted[1], 1e-12);
        Assert.Equal(5, sorted[2], 1e-12);
    }

    [Fact]
    public void SymmetricRootSquaresBackAndIsSymmetric()
    {
        PositiveDefinite.Sample(m =>
        {
            var root = SymmetricRoot(m);

            ColorTransferTests.AssertClose(m, root * root, 1e-12);
            ColorTransferTests.AssertClose(root, root.Transpose(), 1e-12);
        });
    }

    [Fact]
    public void CholeskyIsLowerTriangularAndReconstructs()
    {
        PositiveDefinite.Sample(m =>
        {
            var l = m.Cholesky();

            ColorTransferTests.AssertClose(m, l * l.Transpose(), 1e-12);
            Assert.Equal(0.0, l[0, 1]);
            Assert.Equal(0.0, l[0, 2]);
            Assert.Equal(0.0, l[1, 2]);
            Assert.True(l[0, 0] > 0 && l[1, 1] > 0 && l[2, 2] > 0);
        });
    }

    [Fact]
    public void CholeskyOfARankOneMatrixHasZeroColumnsNotNaN()
    {
        // v vᵀ with v = (1, 2, 3): L = [v, 0, 0].
        var l = Matrix3.FromRows(1, 2, 3, 2, 4, 6, 3, 6, 9).Cholesky();

        ColorTransferTests.AssertClose(Matrix3.FromRows(1, 0, 0, 2, 0, 0, 3, 0, 0), l, 0);
    }

    [Fact]
    public void LowerTriangularInverseIsTheInverse()
    {
        PositiveDefinite.Sample(m =>
        {
            var l = m.Cholesky();

            ColorTransferTests.AssertClose(Matrix3.Identity, l * l.InverseLowerTriangular(), 1e-10);
        });
    }
}
