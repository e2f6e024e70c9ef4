namespace NeuralStyle.Transfer.Parameterizations;

/// <summary>What the optimiser changes: the image's pixels (the seed), or a basis that favours low frequencies.</summary>
/// <remarks>
/// Mordvintsev et al., "Differentiable Image Parameterizations" (Distill, 2018): with the same gradient, steps taken in
/// a scaled Fourier basis or a Laplacian pyramid move coarse structure more than single pixels, which keeps networks
/// other than VGG from painting per-pixel noise. Whatever is optimised, everything written stays an image.
/// </remarks>
public enum ImageParameterization
{
    /// <summary>The pixels themselves (the seed).</summary>
    Pixel,

    /// <summary>The image's 2-D real Fourier coefficients, each scaled by 1 / frequency.</summary>
    Fourier,

    /// <summary>The levels of a Laplacian pyramid (each level half the previous one's size), summed after upsampling.</summary>
    Pyramid,
}
