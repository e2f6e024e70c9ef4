using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Parameterizations;

/// <summary>Creates the parameters of a run from its starting image or from a saved variable.</summary>
internal static class ImageParameters
{
    /// <summary>True when the settings optimise something other than the network-space pixels (a state then carries the variable).</summary>
    public static bool HasOwnVariable(StyleTransferSettings settings) =>
        settings.Parameterization != ImageParameterization.Pixel || settings.DecorrelateColors;

    /// <summary>Parameters rendering <paramref name="image"/> (network space, 1 x 3 x H x W; not consumed).</summary>
    public static IImageParameters Encode(ImageParameterization kind, Tensor image, ColorBasis? colors) => kind switch
    {
        ImageParameterization.Pixel => new PixelParameters(PixelParameters.Encode(image.detach(), colors).detach().contiguous().requires_grad_(true), colors),
        ImageParameterization.Fourier => FourierParameters.Encode(image, colors),
        ImageParameterization.Pyramid => PyramidParameters.Encode(image, colors),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parameters from a saved variable (a copy is taken) for an image of <paramref name="height"/> x <paramref name="width"/>.</summary>
    public static IImageParameters FromVariable(ImageParameterization kind, Tensor saved, long height, long width, ColorBasis? colors)
    {
        Tensor variable = saved.detach().clone().requires_grad_(true);
        switch (kind)
        {
            case ImageParameterization.Pixel:
                long[] expected = [1, 3, height, width];
                if (!variable.shape.SequenceEqual(expected))
                {
                    variable.Dispose();
                    throw new ArgumentException($"the saved state is for a {string.Join('x', saved.shape)} image, this run's is {string.Join('x', expected)}");
                }

                return new PixelParameters(variable, colors);
            case ImageParameterization.Fourier:
                return FourierParameters.FromVariable(variable, height, width, colors);
            case ImageParameterization.Pyramid:
                return PyramidParameters.FromVariable(variable, height, width, colors);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
