using NeuralStyle.Imaging;

namespace NeuralStyle.Quality;

/// <summary>
/// Coarse layout kept, whatever the global tone: the SSIM of the result's and the content's luminance at a quarter of
/// the size, after the result's luminance histogram is matched to the content's.
/// </summary>
/// <remarks>
/// Both images are first downscaled to (width / 4, height / 4), at least 11 pixels a side (SSIM's window), with
/// <see cref="ImageResizer"/> (PIL's antialiased bilinear, which averages every covered pixel), so fine texture and
/// speckle do not count, only the layout. Then luminance, matching at that size, and <see cref="Ssim"/>.
/// </remarks>
public static class StructureSimilarity
{
    /// <summary>The structure score: 1 = the content's layout exactly; about 0 = unrelated.</summary>
    /// <exception cref="ArgumentException">The images differ in size, or are smaller than 11x11.</exception>
    public static double Of(RgbImage result, RgbImage content)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(content);
        if (result.Width != content.Width || result.Height != content.Height)
        {
            throw new ArgumentException($"The result is {result.Width}x{result.Height} but the content {content.Width}x{content.Height}.", nameof(result));
        }

        int width = Math.Max(Ssim.WindowSize, content.Width / 4);
        int height = Math.Max(Ssim.WindowSize, content.Height / 4);
        if (content.Width < Ssim.WindowSize || content.Height < Ssim.WindowSize)
        {
            throw new ArgumentException($"SSIM needs at least {Ssim.WindowSize}x{Ssim.WindowSize} pixels, got {content.Width}x{content.Height}.", nameof(content));
        }

        GreyPlane contentLuma = GreyPlane.Luminance(ImageResizer.Resize(content, width, height));
        GreyPlane resultLuma = GreyPlane.Luminance(ImageResizer.Resize(result, width, height));
        return Ssim.Mean(HistogramMatching.Match(resultLuma, contentLuma), contentLuma);
    }
}
