using NeuralStyle.Transfer.Losses;
using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Parameterizations;

/// <summary>
/// Decorrelated colour coordinates: an image x (network channels) is written x = M c + mu, with mu the pooled mean
/// colour of the content and the styles and M the square root of their pooled colour covariance.
/// </summary>
/// <remarks>
/// In c a unit step along any axis is a move along a principal colour direction of the pictures at hand, sized by its
/// spread: steps mostly change brightness along the natural colour axis and little along directions neither input
/// uses, which is what turns per-pixel rainbow speckle into colour that follows the pictures' (Mordvintsev et al. 2018
/// use ImageNet's covariance; the inputs' own is computed here, so no constant is borrowed and a grey pair stays grey).
/// M is divided by its largest singular value, so a step of the learning rate in c moves x by at most that much: the
/// learning rate keeps the pixel parameterisation's units. A ridge of 1% of the mean variance keeps M invertible for
/// grey or single-colour inputs.
/// </remarks>
internal sealed class ColorBasis : IDisposable
{
    private const double Ridge = 0.01;

    private ColorBasis(Tensor matrix, Tensor inverse, Tensor mean)
    {
        Matrix = matrix;
        Inverse = inverse;
        Mean = mean;
    }

    /// <summary>M (3 x 3, float32).</summary>
    public Tensor Matrix { get; }

    /// <summary>M^-1.</summary>
    public Tensor Inverse { get; }

    /// <summary>mu, shaped 1 x 3 x 1 x 1.</summary>
    public Tensor Mean { get; }

    /// <summary>The basis of the content and the styles (network-space tensors 1 x 3 x H x W), each picture weighing the same.</summary>
    public static ColorBasis From(Tensor content, IReadOnlyList<Tensor> styles)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor[] pictures = [content, .. styles];
        // Per picture: mean and second moment of its pixels (float64), then averaged, so a large style does not outweigh the content.
        Tensor mean = zeros(3, ScalarType.Float64);
        Tensor second = zeros(3, 3, ScalarType.Float64);
        foreach (Tensor picture in pictures)
        {
            Tensor pixels = picture.detach().to_type(ScalarType.Float64).reshape(3, -1);
            mean += pixels.mean([1]);
            second += pixels.matmul(pixels.t()) / pixels.shape[1];
        }

        mean /= pictures.Length;
        second /= pictures.Length;
        Tensor covariance = second - mean.unsqueeze(1).matmul(mean.unsqueeze(0));
        double meanVariance = covariance.trace().item<double>() / 3;
        covariance += eye(3, 3, ScalarType.Float64) * ((Ridge * meanVariance) + 1e-6);
        Tensor root = MatrixSqrt.Eigen(covariance);
        root /= linalg.matrix_norm(root, 2);
        Tensor inverse = linalg.inv(root);
        // Owned by the basis (disposed with it), not by whatever scope the caller is in.
        return new ColorBasis(
            root.to_type(ScalarType.Float32).DetachFromDisposeScope(),
            inverse.to_type(ScalarType.Float32).DetachFromDisposeScope(),
            mean.to_type(ScalarType.Float32).reshape(1, 3, 1, 1).DetachFromDisposeScope());
    }

    /// <summary>x = M c + mu, differentiable in <paramref name="coordinates"/> (1 x 3 x H x W).</summary>
    public Tensor ToImage(Tensor coordinates) => Mix(Matrix, coordinates) + Mean;

    /// <summary>c = M^-1 (x - mu).</summary>
    public Tensor ToCoordinates(Tensor image) => Mix(Inverse, image - Mean);

    // Applies a 3 x 3 matrix to the channel axis of a 1 x 3 x H x W tensor.
    private static Tensor Mix(Tensor matrix, Tensor image) => einsum("ij,bjhw->bihw", matrix, image);

    public void Dispose()
    {
        Matrix.Dispose();
        Inverse.Dispose();
        Mean.Dispose();
    }
}
