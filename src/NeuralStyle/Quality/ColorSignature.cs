using NeuralStyle.Imaging;

namespace NeuralStyle.Quality;

/// <summary>
/// The palette as 16-bin histograms of R, G and B concatenated (48 bins, each channel's summing to 1). Bin k holds
/// the values in [16k, 16k + 16) after clipping to 0..255 (numpy's <c>histogram(v, bins=16, range=(0, 256))</c>).
/// </summary>
public static class ColorSignature
{
    /// <summary>Bins per channel.</summary>
    public const int Bins = 16;

    /// <summary>The 48-bin signature; NaN values are refused.</summary>
    public static double[] Of(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var histogram = new double[3 * Bins];
        float[] p = image.Pixels;
        for (int i = 0; i < p.Length; i++)
        {
            if (float.IsNaN(p[i]))
            {
                throw new ArgumentException("The colour histogram needs pixel values that are not NaN.", nameof(image));
            }

            int bin = (int)Math.Floor(Math.Clamp(p[i], 0f, 255f) / 16.0);
            histogram[((i % 3) * Bins) + bin]++;
        }

        double pixels = image.Width * (double)image.Height;
        for (int i = 0; i < histogram.Length; i++)
        {
            histogram[i] /= pixels;
        }

        return histogram;
    }
}
