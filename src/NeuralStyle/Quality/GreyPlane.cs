using NeuralStyle.Imaging;

namespace NeuralStyle.Quality;

/// <summary>One channel of an image in double precision, row-major (index <c>y * Width + x</c>).</summary>
/// <remarks>The measures work in double, as scikit-image does, so that their fixtures agree to rounding.</remarks>
public sealed class GreyPlane
{
    /// <summary>Wraps <paramref name="values"/> (not copied).</summary>
    public GreyPlane(int width, int height, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (values.Length != (long)width * height)
        {
            throw new ArgumentException($"A {width}x{height} plane needs {(long)width * height} values, got {values.Length}.", nameof(values));
        }

        Width = width;
        Height = height;
        Values = values;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The values, index <c>y * Width + x</c>.</summary>
    public double[] Values { get; }

    /// <summary>The value at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public double this[int x, int y] => Values[(y * Width) + x];

    /// <summary>Rec. 601 luma (the Y of <see cref="ColorTransforms.ToYCbCr(float, float, float)"/>).</summary>
    public static GreyPlane Luminance(RgbImage image) => Channel(image, 0);

    /// <summary>The blue-difference chroma Cb (full range, centred on 128).</summary>
    public static GreyPlane Cb(RgbImage image) => Channel(image, 1);

    /// <summary>The red-difference chroma Cr (full range, centred on 128).</summary>
    public static GreyPlane Cr(RgbImage image) => Channel(image, 2);

    private static GreyPlane Channel(RgbImage image, int ycbcrChannel)
    {
        ArgumentNullException.ThrowIfNull(image);
        var values = new double[image.Width * image.Height];
        float[] p = image.Pixels;
        for (int i = 0; i < values.Length; i++)
        {
            (float y, float cb, float cr) = ColorTransforms.ToYCbCr(p[3 * i], p[(3 * i) + 1], p[(3 * i) + 2]);
            values[i] = ycbcrChannel switch { 0 => y, 1 => cb, _ => cr };
        }

        return new GreyPlane(image.Width, image.Height, values);
    }
}
