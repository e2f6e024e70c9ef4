using NeuralStyle.Transfer.Parameterizations;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer.Parameterizations;

/// <summary>The decorrelated colour basis against its definition computed here in float64 by hand.</summary>
public class ColorBasisTests
{
    // Pooled mean and covariance of the pictures' pixels, each picture weighing the same, plus the 1% ridge.
    private static (double[] Mean, double[,] Covariance) Pooled(params Tensor[] pictures)
    {
        var mean = new double[3];
        var second = new double[3, 3];
        foreach (Tensor picture in pictures)
        {
            float[] v = picture.data<float>().ToArray();
            int n = v.Length / 3;
            for (int i = 0; i < 3; i++)
            {
                mean[i] += Enumerable.Range(0, n).Sum(p => (double)v[(i * n) + p]) / n / pictures.Length;
                for (int j = 0; j < 3; j++)
                {
                    second[i, j] += Enumerable.Range(0, n).Sum(p => (double)v[(i * n) + p] * v[(j * n) + p]) / n / pictures.Length;
                }
            }
        }

        var covariance = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                covariance[i, j] = second[i, j] - (mean[i] * mean[j]);
            }
        }

        double ridge = (0.01 * (covariance[0, 0] + covariance[1, 1] + covariance[2, 2]) / 3) + 1e-6;
        for (int i = 0; i < 3; i++)
        {
            covariance[i, i] += ridge;
        }

        return (mean, covariance);
    }

    [Fact]
    public void The_matrix_is_the_scaled_square_root_of_the_pooled_covariance()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        Tensor mixing = tensor(new float[] { 1, 0.8f, 0.6f, 0.2f, 1, 0.9f, 0.1f, 0.3f, 1 }).reshape(3, 3);
        Tensor content = einsum("ij,bjhw->bihw", mixing, randn([1, 3, 12, 9], generator: generator) * 50) + 30;
        Tensor style = randn([1, 3, 7, 11], generator: generator) * 20;
        using ColorBasis basis = ColorBasis.From(content, [style]);
        (double[] mean, double[,] covariance) = Pooled(content, style);

        float[] mu = basis.Mean.data<float>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(mean[i], mu[i], 3);
        }

        // M is symmetric with largest singular value 1, and M M is proportional to the covariance.
        float[] m = basis.Matrix.data<float>().ToArray();
        double[,] square = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(m[(i * 3) + j], m[(j * 3) + i], 5);
                square[i, j] = Enumerable.Range(0, 3).Sum(k => (double)m[(i * 3) + k] * m[(k * 3) + j]);
            }
        }

        double ratio = covariance[0, 0] / square[0, 0];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.True(Math.Abs((square[i, j] * ratio) - covariance[i, j]) <= 1e-4 * covariance[0, 0], $"({i},{j}): {square[i, j] * ratio} against {covariance[i, j]}");
            }
        }

        double norm = linalg.matrix_norm(basis.Matrix.to_type(ScalarType.Float64), 2).item<double>();
        Assert.Equal(1.0, norm, 5);
    }

    [Fact]
    public void Grey_pictures_give_a_finite_invertible_basis()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(9);
        Tensor grey = (rand([1, 1, 10, 10], generator: generator) * 255).expand(1, 3, 10, 10).contiguous();
        using ColorBasis basis = ColorBasis.From(grey, [grey]);
        Assert.True(isfinite(basis.Inverse).all().item<bool>());
        Tensor back = basis.ToImage(basis.ToCoordinates(grey));
        Assert.True((back - grey).abs().max().item<float>() < 1e-2);

        // A step along the colour axes the pictures lack moves the image far less than one along grey.
        Tensor chroma = basis.ToImage(tensor(new float[] { 1, -1, 0 }).reshape(1, 3, 1, 1)) - basis.Mean;
        Tensor luma = basis.ToImage(tensor(new float[] { 1, 1, 1 }).reshape(1, 3, 1, 1)) - basis.Mean;
        Assert.True(chroma.norm().item<float>() < 0.2 * luma.norm().item<float>());
    }
}
