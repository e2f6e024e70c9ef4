namespace NeuralStyle.Imaging;

/// <summary>
/// Luminance-only style transfer from Gatys et al. 2016: transfer on the luminance channel alone, then put the
/// content's chroma back. Luminance is the Y of <see cref="ColorTransforms"/>' full-range BT.601 YCbCr.
/// </summary>
/// <remarks>
/// Luminance images are carried as grey RGB images (R = G = B = Y) so they can go through an RGB network. Inputs
/// that should be luminance images are read through <see cref="ColorTransforms.Luma"/>, which returns Y for a grey
/// pixel and is the right reduction for a network's (not quite grey) output. Nothing is clipped.
/// </remarks>
public static class LuminanceTransfer
{
    /// <summary>The image's luminance Y as a grey image (R = G = B = Y).</summary>
    public static RgbImage Luminance(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return GreyFromLuma(image, y => y);
    }

    /// <summary>
    /// The style luminance shifted and scaled to the content's luminance mean and standard deviation:
    /// (σ_c / σ_s)(L_s - μ_s) + μ_c, as a grey image of the style's size.
    /// </summary>
    /// <remarks>
    /// Statistics are population and computed in double. A flat style (σ_s = 0) would divide by zero, so σ_s² is
    /// floored at 1e-6 (σ_s ≥ 0.001 levels): the 1-D case of <see cref="ColorTransfer.MatchStyleToContent"/>'s ridge,
    /// whose relative part never binds in one dimension. Then the output is just μ_c.
    /// </remarks>
    public static RgbImage MatchLuminance(RgbImage styleLuma, RgbImage contentLuma)
    {
        ArgumentNullException.ThrowIfNull(styleLuma);
        ArgumentNullException.ThrowIfNull(contentLuma);
        var (styleMean, styleVariance) = LumaStatistics(styleLuma);
        var (contentMean, contentVariance) = LumaStatistics(contentLuma);
        var gain = Math.Sqrt(contentVariance / Math.Max(styleVariance, 1e-6));
        return GreyFromLuma(styleLuma, y => (float)((gain * (y - styleMean)) + contentMean));
    }

    // A grey image (R = G = B) whose value is map(luma) of each pixel of image.
    private static RgbImage GreyFromLuma(RgbImage image, Func<float, float> map)
    {
        var p = image.Pixels;
        var result = new float[p.Length];
        for (var i = 0; i < p.Length; i += 3)
        {
            var y = map(ColorTransforms.Luma(p[i], p[i + 1], p[i + 2]));
            result[i] = y;
            result[i + 1] = y;
            result[i + 2] = y;
        }

        return new RgbImage(image.Width, image.Height, result);
    }

    /// <summary>The luminance of <paramref name="stylizedLuma"/> with the Cb/Cr of <paramref name="content"/>, back in RGB.</summary>
    /// <remarks>Unlike <see cref="ColorTransforms.PreserveContentColors"/>, neither the inputs nor the result are clipped.</remarks>
    /// <exception cref="ArgumentException">The images differ in size.</exception>
    public static RgbImage Recombine(RgbImage stylizedLuma, RgbImage content)
    {
        ArgumentNullException.ThrowIfNull(stylizedLuma);
        ArgumentNullException.ThrowIfNull(content);
        if (stylizedLuma.Width != content.Width || stylizedLuma.Height != content.Height)
        {
            throw new ArgumentException(
                $"Recombining luminance and chroma needs images of the same size: the stylised luminance is {stylizedLuma.Width}x{stylizedLuma.Height}, the content image {content.Width}x{content.Height}.",
                nameof(content));
        }

        var s = stylizedLuma.Pixels;
        var c = content.Pixels;
        var result = new float[s.Length];
        for (var i = 0; i < s.Length; i += 3)
        {
            var y = ColorTransforms.Luma(s[i], s[i + 1], s[i + 2]);
            var (_, cb, cr) = ColorTransforms.ToYCbCr(c[i], c[i + 1], c[i + 2]);
            (result[i], result[i + 1], result[i + 2]) = ColorTransforms.FromYCbCr(y, cb, cr);
        }

        return new RgbImage(content.Width, content.Height, result);
    }

    /// <summary>Mean and population variance of the image's luma, in double (two passes).</summary>
    internal static (double Mean, double Variance) LumaStatistics(RgbImage image)
    {
        var p = image.Pixels;
        var n = p.Length / 3;
        var sum = 0.0;
        for (var i = 0; i < p.Length; i += 3)
        {
            sum += ColorTransforms.Luma(p[i], p[i + 1], p[i + 2]);
        }

        var mean = sum / n;
        var squares = 0.0;
        for (var i = 0; i < p.Length; i += 3)
        {
            var d = ColorTransforms.Luma(p[i], p[i + 1], p[i + 2]) - mean;
            squares += d * d;
        }

        return (mean, squares / n);
    }
}
