using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Parameterizations;

/// <summary>
/// The image as 2-D real Fourier coefficients (orthonormal rfft2 of each channel), each multiplied by a fixed
/// 1 / frequency before the inverse transform.
/// </summary>
/// <remarks>
/// With the scale, a step of the same size on every coefficient moves coarse structure far more than single pixels:
/// the optimiser's path favours the low frequencies that natural images have and high-frequency noise is slow to
/// appear (Mordvintsev et al. 2018). Frequencies are in cycles per pixel, clamped below at 1 / (the longer side) so that
/// the constant term is not infinite, and the scale is divided by its root mean square over the spectrum: a step of
/// the learning rate on every coefficient with unrelated signs then moves pixels by about the learning rate, the
/// pixel parameterisation's units. The variable is the coefficients' real and imaginary parts, 1 x 3 x H x (W/2+1) x 2.
/// </remarks>
internal sealed class FourierParameters : IImageParameters
{
    private readonly ColorBasis? _colors;
    private readonly Tensor _scale;
    private readonly long _height;
    private readonly long _width;

    private FourierParameters(Tensor variable, Tensor scale, long height, long width, ColorBasis? colors)
    {
        Variable = variable;
        _scale = scale;
        _height = height;
        _width = width;
        _colors = colors;
    }

    public Tensor Variable { get; }

    public bool IsImage => false;

    /// <summary>Parameters that render <paramref name="image"/> (1 x 3 x H x W) up to float32 rounding.</summary>
    public static FourierParameters Encode(Tensor image, ColorBasis? colors)
    {
        long height = image.shape[2], width = image.shape[3];
        Tensor scale = Scale(height, width);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor channels = colors is null ? image : colors.ToCoordinates(image);
        Tensor spectrum = fft.rfft2(channels.detach(), norm: TorchSharp.FFTNormType.Ortho) / scale;
        Tensor variable = view_as_real(spectrum).contiguous().requires_grad_(true).DetachFromDisposeScope();
        return new FourierParameters(variable, scale, height, width, colors);
    }

    /// <summary>Parameters from a saved variable (resume), for an image of the given size.</summary>
    public static FourierParameters FromVariable(Tensor variable, long height, long width, ColorBasis? colors)
    {
        long[] expected = [1, 3, height, (width / 2) + 1, 2];
        if (!variable.shape.SequenceEqual(expected))
        {
            throw new ArgumentException($"the saved Fourier coefficients are {string.Join('x', variable.shape)}, this run's are {string.Join('x', expected)}");
        }

        return new FourierParameters(variable.DetachFromDisposeScope(), Scale(height, width), height, width, colors);
    }

    public Tensor Render()
    {
        using var scope = NewDisposeScope();
        Tensor spectrum = view_as_complex(Variable) * _scale;
        Tensor channels = fft.irfft2(spectrum, s: [_height, _width], norm: TorchSharp.FFTNormType.Ortho);
        Tensor image = _colors is null ? channels : _colors.ToImage(channels);
        return image.MoveToOuterDisposeScope();
    }

    // 1 / max(|f|, 1 / max(H, W)) on the rfft2 grid (H x (W/2+1)), divided by its root mean square.
    private static Tensor Scale(long height, long width)
    {
        using var scope = NewDisposeScope();
        Tensor fy = fft.fftfreq(height, dtype: ScalarType.Float64).unsqueeze(1);
        Tensor fx = fft.rfftfreq(width, dtype: ScalarType.Float64).unsqueeze(0);
        Tensor frequency = (fy.square() + fx.square()).sqrt().clamp_min(1.0 / Math.Max(height, width));
        Tensor scale = frequency.reciprocal();
        scale /= scale.square().mean().sqrt();
        return scale.to_type(ScalarType.Float32).DetachFromDisposeScope();
    }

    public void Dispose()
    {
        Variable.Dispose();
        _scale.Dispose();
    }
}
