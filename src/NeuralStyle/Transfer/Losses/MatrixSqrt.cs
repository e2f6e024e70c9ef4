using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Losses;

/// <summary>Square roots of symmetric positive semi-definite matrices.</summary>
internal static class MatrixSqrt
{
    /// <summary>Iterations <see cref="NewtonSchulz"/> uses unless told: enough for float32 accuracy when the eigenvalues span about four decades.</summary>
    public const int DefaultIterations = 20;

    /// <summary>
    /// Differentiable approximate square root of an n x n SPD matrix by the coupled Newton-Schulz iteration
    /// (Higham 2008, eq. 6.35; Lin and Maji 2017): A = M / |M|_F, Y_0 = A, Z_0 = I,
    /// T = (3I - Z_k Y_k) / 2, Y_{k+1} = Y_k T, Z_{k+1} = T Z_k, and sqrt(M) ~ Y_k sqrt(|M|_F).
    /// </summary>
    /// <remarks>
    /// Only matrix products, so autograd differentiates it cheaply (eigh's backward divides by eigenvalue gaps and is
    /// unstable for the repeated or zero eigenvalues that ReLU activations produce). Dividing by the Frobenius norm puts
    /// the eigenvalues in (0, 1], where the iteration converges. Eigenvalues far below the norm converge last (the
    /// iterate grows by about 1.5 per step until it reaches them), so the truncation also bounds the gradient of the
    /// square root near singular matrices. The norm is sqrt(sum M^2 + 1e-30) so that M = 0 gives 0 with a finite gradient.
    /// </remarks>
    public static Tensor NewtonSchulz(Tensor matrix, int iterations = DefaultIterations)
    {
        if (matrix.dim() != 2 || matrix.shape[0] != matrix.shape[1])
        {
            throw new ArgumentException($"expected a square matrix, got [{string.Join(", ", matrix.shape)}]", nameof(matrix));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        using var scope = NewDisposeScope();
        long n = matrix.shape[0];
        Tensor identity = eye(n, n, matrix.dtype, matrix.device);
        Tensor norm = (matrix.square().sum() + 1e-30).sqrt();
        Tensor y = matrix / norm;
        Tensor z = identity;
        Tensor threeIdentity = identity * 3;
        for (int k = 0; k < iterations; k++)
        {
            // Intermediates stay in the scope: autograd needs every iterate for the backward pass anyway.
            Tensor t = (threeIdentity - z.matmul(y)) * 0.5;
            y = y.matmul(t);
            z = t.matmul(z);
        }

        return (y * norm.sqrt()).MoveToOuterDisposeScope();
    }

    /// <summary>Exact square root V diag(sqrt(max(lambda, 0))) V^T from torch.linalg.eigh, in float64 (for targets computed once; cast back to the input's type).</summary>
    public static Tensor Eigen(Tensor matrix)
    {
        using var scope = NewDisposeScope();
        Tensor m = matrix.to_type(ScalarType.Float64);
        // Symmetrise first: eigh reads one triangle only, so rounding asymmetry would otherwise be dropped unevenly.
        m = (m + m.t()) * 0.5;
        (Tensor values, Tensor vectors) = linalg.eigh(m);
        // Rounding can make zero eigenvalues slightly negative; the covariance is PSD, so clamp them.
        Tensor root = (vectors * values.clamp_min(0).sqrt().unsqueeze(0)).matmul(vectors.t());
        return root.to_type(matrix.dtype).MoveToOuterDisposeScope();
    }
}
