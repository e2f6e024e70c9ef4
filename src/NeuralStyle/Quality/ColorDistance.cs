using NeuralStyle.Imaging;

namespace NeuralStyle.Quality;

/// <summary>
/// How far apart two palettes are: the 1-D Wasserstein (earth mover's) distance between the value distributions of
/// each RGB channel, values clipped to 0..255, summed over R, G and B. In grey levels: the distance the mass of one
/// histogram moves, on average, to become the other.
/// </summary>
/// <remarks>
/// Issue 12 defined the colour measure with the chi-square distance of 16-bin histograms. Chi-square compares bin by
/// bin, so it cannot tell a palette moved halfway towards the style from one that did not move when the histograms do
/// not overlap (both are "every bin different"), and a move within a bin does not count at all. The Wasserstein
/// distance is the area between the two cumulative distributions, so it grows with how far the mass moved.
/// </remarks>
public static class ColorDistance
{
    /// <summary>The summed per-channel distance between the palettes of two images (sizes may differ).</summary>
    /// <exception cref="ArgumentException">A pixel value is NaN.</exception>
    public static double Between(RgbImage a, RgbImage b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        double sum = 0;
        for (int channel = 0; channel < RgbImage.Channels; channel++)
        {
            sum += Wasserstein(ChannelValues(a, channel), ChannelValues(b, channel));
        }

        return sum;
    }

    /// <summary>
    /// How far <paramref name="result"/>'s palette is from <paramref name="style"/>'s relative to how far
    /// <paramref name="content"/>'s is: 0 = the style's palette, 1 = as far as the content. NaN when content and
    /// style have the same palette.
    /// </summary>
    public static double Ratio(RgbImage result, RgbImage content, RgbImage style)
    {
        double reference = Between(content, style);
        return reference > 0 ? Between(result, style) / reference : double.NaN;
    }

    /// <summary>
    /// ∫ |F(t) − G(t)| dt for the empirical distribution functions F and G of two samples (scipy's
    /// <c>stats.wasserstein_distance</c> with equal weights).
    /// </summary>
    public static double Wasserstein(double[] a, double[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length == 0 || b.Length == 0)
        {
            throw new ArgumentException("The Wasserstein distance needs two non-empty samples.", a.Length == 0 ? nameof(a) : nameof(b));
        }

        if (a.Any(double.IsNaN) || b.Any(double.IsNaN))
        {
            throw new ArgumentException("The Wasserstein distance needs values that are not NaN.", a.Any(double.IsNaN) ? nameof(a) : nameof(b));
        }

        double[] x = [.. a.Order()];
        double[] y = [.. b.Order()];
        int i = 0, j = 0;
        double previous = Math.Min(x[0], y[0]);
        double sum = 0;
        while (i < x.Length || j < y.Length)
        {
            // The next point where either distribution function steps; between it and the previous one both are flat.
            double next = j >= y.Length || (i < x.Length && x[i] <= y[j]) ? x[i] : y[j];
            sum += Math.Abs(((double)i / x.Length) - ((double)j / y.Length)) * (next - previous);
            while (i < x.Length && x[i] == next)
            {
                i++;
            }

            while (j < y.Length && y[j] == next)
            {
                j++;
            }

            previous = next;
        }

        return sum;
    }

    private static double[] ChannelValues(RgbImage image, int channel)
    {
        float[] p = image.Pixels;
        var values = new double[image.Width * image.Height];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Clamp(p[(3 * i) + channel], 0f, 255f);
        }

        return values;
    }
}
