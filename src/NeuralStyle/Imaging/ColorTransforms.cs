namespace NeuralStyle.Imaging;

/// <summary>Colour-space helpers: full-range (JPEG/JFIF, ITU-R BT.601) YCbCr and the <c>--preserve-colors</c> transfer.</summary>
public static class ColorTransforms
{
    /// <summary>
    /// The original program's <c>--preserve-colors</c>: the luminance of <paramref name="stylized"/> combined with
    /// the chroma (Cb, Cr) of <paramref name="content"/>. Both inputs are clipped to 0..255 first, as in the
    /// original; the result is clipped to 0..255 but kept in float (no 8-bit rounding).
    /// </summary>
    /// <exception cref="ArgumentException">The images differ in size.</exception>
    public static RgbImage PreserveContentColors(RgbImage stylized, RgbImage content)
    {
        ArgumentNullException.ThrowIfNull(stylized);
        ArgumentNullException.ThrowIfNull(content);
        if (stylized.Width != content.Width || stylized.Height != content.Height)
        {
            throw new ArgumentException(
                $"Colour preservation needs images of the same size: the stylised image is {stylized.Width}x{stylized.Height}, the content image {content.Width}x{content.Height}.",
                nameof(content));
        }

        var s = stylized.Pixels;
        var c = content.Pixels;
        var result = new float[s.Length];
        for (var i = 0; i < s.Length; i += 3)
        {
            var y = Luma(Clip(s[i]), Clip(s[i + 1]), Clip(s[i + 2]));
            var (_, cb, cr) = ToYCbCr(Clip(c[i]), Clip(c[i + 1]), Clip(c[i + 2]));
            var (r, g, b) = FromYCbCr(y, cb, cr);
            result[i] = Clip(r);
            result[i + 1] = Clip(g);
            result[i + 2] = Clip(b);
        }

        return new RgbImage(stylized.Width, stylized.Height, result);
    }

    /// <summary>Rec. 601 luma: 0.299 R + 0.587 G + 0.114 B.</summary>
    public static float Luma(float r, float g, float b) => (0.299f * r) + (0.587f * g) + (0.114f * b);

    /// <summary>Full-range RGB → YCbCr (JFIF): Cb and Cr are centred on 128, nothing is clipped.</summary>
    public static (float Y, float Cb, float Cr) ToYCbCr(float r, float g, float b) =>
        (Luma(r, g, b),
         128f - (0.168736f * r) - (0.331264f * g) + (0.5f * b),
         128f + (0.5f * r) - (0.418688f * g) - (0.081312f * b));

    /// <summary>Full-range YCbCr (JFIF) → RGB, the inverse of <see cref="ToYCbCr(float, float, float)"/>; nothing is clipped.</summary>
    public static (float R, float G, float B) FromYCbCr(float y, float cb, float cr)
    {
        var cbo = cb - 128f;
        var cro = cr - 128f;
        return (y + (1.402f * cro), y - (0.344136f * cbo) - (0.714136f * cro), y + (1.772f * cbo));
    }

    /// <summary>Converts a whole image; the result's channels hold Y, Cb, Cr instead of R, G, B.</summary>
    public static RgbImage ToYCbCr(RgbImage image) => Map(image, ToYCbCr);

    /// <summary>Converts an image whose channels hold Y, Cb, Cr back to RGB.</summary>
    public static RgbImage FromYCbCr(RgbImage ycbcr) => Map(ycbcr, FromYCbCr);

    private static RgbImage Map(RgbImage image, Func<float, float, float, (float, float, float)> transform)
    {
        ArgumentNullException.ThrowIfNull(image);
        var p = image.Pixels;
        var result = new float[p.Length];
        for (var i = 0; i < p.Length; i += 3)
        {
            (result[i], result[i + 1], result[i + 2]) = transform(p[i], p[i + 1], p[i + 2]);
        }

        return new RgbImage(image.Width, image.Height, result);
    }

    // NaN becomes 0 here as in RgbImage.ToBytesClipped, so one bad pixel cannot poison the whole result.
    private static float Clip(float v) => v >= 255f ? 255f : v > 0f ? v : 0f;
}
