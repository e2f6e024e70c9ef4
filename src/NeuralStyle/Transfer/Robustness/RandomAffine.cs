using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace NeuralStyle.Transfer.Robustness;

/// <summary>
/// One draw of <see cref="TransformRobustness"/>: a shift, a scale and a rotation about the image's centre, applied by
/// bilinear resampling with mirrored borders so that the output keeps the input's size.
/// </summary>
/// <remarks>
/// The draw depends only on the run's seed and the iteration number (SplitMix64, not LibTorch's or .NET's shared
/// generators): a resumed run draws what the uninterrupted one drew, and every evaluation of one L-BFGS iteration sees
/// the same transform.
/// </remarks>
internal sealed class RandomAffine
{
    private readonly double[] _theta;

    private RandomAffine(double shiftX, double shiftY, double scale, double degrees, long height, long width)
    {
        ShiftX = shiftX;
        ShiftY = shiftY;
        Scale = scale;
        Degrees = degrees;

        // affine_grid maps each output position, in coordinates normalised to [-1, 1] per axis, to the input position
        // sampled. In pixels that map is: rotate by the angle, divide by the scale (a scale above 1 enlarges), shift.
        // Normalised x spans W pixels and y H, so the off-diagonal terms carry the aspect ratio.
        double radians = degrees * Math.PI / 180;
        double cos = Math.Cos(radians) / scale, sin = Math.Sin(radians) / scale;
        double aspect = (double)height / width;
        _theta =
        [
            cos, -sin * aspect, -2 * shiftX / width,
            sin / aspect, cos, -2 * shiftY / height,
        ];
    }

    /// <summary>Shift to the right, in pixels.</summary>
    public double ShiftX { get; }

    /// <summary>Shift downwards, in pixels.</summary>
    public double ShiftY { get; }

    /// <summary>Scale factor (above 1 enlarges).</summary>
    public double Scale { get; }

    /// <summary>Rotation in degrees.</summary>
    public double Degrees { get; }

    /// <summary>The draw for 1-based <paramref name="iteration"/> of a run with <paramref name="seed"/>; null when the settings draw nothing.</summary>
    public static RandomAffine? Draw(TransformRobustness robustness, long seed, int iteration, long height, long width)
    {
        if (robustness.IsNone)
        {
            return null;
        }

        ulong state = (ulong)seed ^ (0x9E3779B97F4A7C15UL * (ulong)(iteration + 1));
        double Uniform(double low, double high) => low + ((high - low) * (Next(ref state) >> 11) * (1.0 / (1UL << 53)));
        double dx = Uniform(-robustness.JitterPixels, robustness.JitterPixels);
        double dy = Uniform(-robustness.JitterPixels, robustness.JitterPixels);
        double scale = Uniform(robustness.ScaleMin, robustness.ScaleMax);
        double degrees = Uniform(-robustness.RotationDegrees, robustness.RotationDegrees);
        return new RandomAffine(dx, dy, scale, degrees, height, width);
    }

    /// <summary>A given transform (for tests and diagnostics).</summary>
    public static RandomAffine Of(double shiftX, double shiftY, double scale, double degrees, long height, long width) =>
        new(shiftX, shiftY, scale, degrees, height, width);

    /// <summary>The transformed image (same size), differentiable in <paramref name="image"/> (N x C x H x W).</summary>
    public Tensor Apply(Tensor image)
    {
        using var scope = NewDisposeScope();
        Tensor theta = tensor(_theta, ScalarType.Float32).reshape(1, 2, 3).expand(image.shape[0], 2, 3).to(image.device);
        Tensor grid = affine_grid(theta, [.. image.shape], align_corners: false);
        Tensor result = grid_sample(image, grid, mode: GridSampleMode.Bilinear, padding_mode: GridSamplePaddingMode.Reflection, align_corners: false);
        return result.MoveToOuterDisposeScope();
    }

    // SplitMix64 (Steele, Lea and Flood 2014): a full-period 64-bit generator whose outputs pass BigCrush.
    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
