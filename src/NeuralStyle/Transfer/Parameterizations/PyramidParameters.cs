using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace NeuralStyle.Transfer.Parameterizations;

/// <summary>
/// The image as the levels of a Laplacian pyramid: level 0 at full size, each next level half the previous one's
/// size (rounded up) down to a coarsest side of about 8 pixels; the image is the coarsest level, upsampled (bilinear)
/// and added to the next, and so on up to full size.
/// </summary>
/// <remarks>
/// A step of the same size on every coefficient moves a coarse level's whole block of pixels as far as a single
/// fine pixel: the optimiser favours coarse structure, like the Fourier basis but local (Mordvintsev et al. 2018 name
/// both). Encoding builds the levels from area-averaged copies of the image, each minus the upsampled next one, so
/// that rendering gives the image back exactly. The variable is all levels, flattened and concatenated.
/// </remarks>
internal sealed class PyramidParameters : IImageParameters
{
    private const int CoarsestSide = 8;

    private readonly ColorBasis? _colors;
    private readonly IReadOnlyList<(long Height, long Width)> _levels;

    private PyramidParameters(Tensor variable, IReadOnlyList<(long Height, long Width)> levels, ColorBasis? colors)
    {
        Variable = variable;
        _levels = levels;
        _colors = colors;
    }

    public Tensor Variable { get; }

    public bool IsImage => false;

    /// <summary>The level sizes for an image of <paramref name="height"/> x <paramref name="width"/>, finest first.</summary>
    public static IReadOnlyList<(long Height, long Width)> Levels(long height, long width)
    {
        var levels = new List<(long, long)> { (height, width) };
        while (Math.Min(height, width) >= 2 * CoarsestSide)
        {
            height = (height + 1) / 2;
            width = (width + 1) / 2;
            levels.Add((height, width));
        }

        return levels;
    }

    /// <summary>Parameters that render <paramref name="image"/> (1 x 3 x H x W) up to float32 rounding.</summary>
    public static PyramidParameters Encode(Tensor image, ColorBasis? colors)
    {
        var levels = Levels(image.shape[2], image.shape[3]);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor channels = colors is null ? image.detach() : colors.ToCoordinates(image.detach());
        var gaussian = new List<Tensor> { channels };
        foreach ((long h, long w) in levels.Skip(1))
        {
            gaussian.Add(adaptive_avg_pool2d(gaussian[^1], [h, w]));
        }

        var parts = new List<Tensor>();
        for (int k = 0; k < levels.Count; k++)
        {
            Tensor level = k == levels.Count - 1 ? gaussian[k] : gaussian[k] - Upsample(gaussian[k + 1], levels[k]);
            parts.Add(level.reshape(-1));
        }

        Tensor variable = cat(parts, 0).contiguous().requires_grad_(true).DetachFromDisposeScope();
        return new PyramidParameters(variable, levels, colors);
    }

    /// <summary>Parameters from a saved variable (resume), for an image of the given size.</summary>
    public static PyramidParameters FromVariable(Tensor variable, long height, long width, ColorBasis? colors)
    {
        var levels = Levels(height, width);
        long count = levels.Sum(l => 3 * l.Height * l.Width);
        if (variable.dim() != 1 || variable.shape[0] != count)
        {
            throw new ArgumentException($"the saved pyramid has {string.Join('x', variable.shape)} values, this run's has {count}");
        }

        return new PyramidParameters(variable.DetachFromDisposeScope(), levels, colors);
    }

    public Tensor Render()
    {
        using var scope = NewDisposeScope();
        long offset = levelsTotal();
        Tensor? image = null;
        for (int k = _levels.Count - 1; k >= 0; k--)
        {
            (long h, long w) = _levels[k];
            long count = 3 * h * w;
            offset -= count;
            Tensor level = Variable.narrow(0, offset, count).reshape(1, 3, h, w);
            image = image is null ? level : level + Upsample(image, _levels[k]);
        }

        Tensor result = _colors is null ? image! : _colors.ToImage(image!);
        return result.MoveToOuterDisposeScope();

        long levelsTotal() => Variable.shape[0];
    }

    private static Tensor Upsample(Tensor image, (long Height, long Width) size) =>
        interpolate(image, [size.Height, size.Width], mode: InterpolationMode.Bilinear, align_corners: false);

    public void Dispose() => Variable.Dispose();
}
