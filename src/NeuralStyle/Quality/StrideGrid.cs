using NeuralStyle.Imaging;

namespace NeuralStyle.Quality;

/// <summary>
/// Evidence of a periodic dot grid in a picture (issue 12: the bundled ResNet-18's stride-8 and stride-16 downsampling
/// leaves a faint grid of dots in the results): how much more of the luminance's fine detail depends on a pixel's
/// position modulo the period than chance would give. About 1 means no grid; a grid of that period gives more.
/// </summary>
/// <remarks>
/// The luminance (Rec. 601) is high-passed, h = L − its 3x3 box mean, on the interior pixels (the one-pixel border has
/// no full window), so that the picture's content, which is smooth at that scale, drops out and dots stay. The interior
/// pixels are grouped by phase (x mod p, y mod p); where the phases are counted from only renames the classes. If h
/// does not depend on the phase, the phase means differ only by chance; a grid moves one or a few of them. The
/// statistic is the one-way analysis-of-variance ratio of the phase means' spread to h's own variance:
/// <c>G_p = [Σ_k n_k (m_k − m)² / (p² − 1)] / [Σ (h − m)² / (N − 1)]</c>, with n_k and m_k the count and mean of phase
/// class k, m the mean and N the number of all interior pixels. For independent normal h its expectation is exactly 1
/// (the ratio is then (N − 1)/(p² − 1) times a beta variable of mean (p² − 1)/(N − 1)).
/// <para>
/// Issue 12's sketch had Σ n_k m_k² / (p² · mean(h²)), which has expectation 1 only if h has mean 0. Curvature (a
/// vignette) gives every phase the same offset and the border makes h's sum differ from 0, and that offset, which is
/// no grid, counted as one. On real pictures it is small (a strong vignette under ±3 of noise moved G_8 by 0.01), but
/// subtracting m costs nothing, and p² − 1 and N − 1 are then the degrees of freedom that make white noise give
/// exactly 1 on average rather than about 1.
/// </para>
/// <para>
/// The box filter correlates h only within two pixels, so pixels of one phase class (at least p apart) are independent
/// for p ≥ 3; that is why the period must be at least 3. Shifting a grid moves it to other phase classes, not the sum:
/// the measure does not depend on where the grid starts.
/// </para>
/// <para>
/// A photo's h is not independent: a long straight edge or a regular pattern puts a line of large values into few phase
/// classes, at every period. The examples at 128 px score 0.7 to 3 (rocket 2.98 at 8 and 2.18 at 9, coins 2.63, brick
/// 2.02), so a result's value means most next to its content's and to the controls at periods 7 and 9.
/// </para>
/// </remarks>
public static class StrideGrid
{
    /// <summary>The periods the measure takes the largest ratio of: ResNet-18's stride-8 and stride-16 stages.</summary>
    public static IReadOnlyList<int> Periods { get; } = [8, 16];

    /// <summary>The smallest period whose phase classes are independent under the 3x3 high-pass.</summary>
    public const int MinimumPeriod = 3;

    /// <summary>The larger of <see cref="Ratio(GreyPlane, int)"/> at periods 8 and 16 of the image's luminance.</summary>
    /// <exception cref="ArgumentException">The interior is shorter than two periods of 16 in either direction.</exception>
    public static double Of(RgbImage image) => Of(GreyPlane.Luminance(image));

    /// <summary>The larger of <see cref="Ratio(GreyPlane, int)"/> at periods 8 and 16.</summary>
    /// <exception cref="ArgumentException">The interior is shorter than two periods of 16 in either direction.</exception>
    public static double Of(GreyPlane luminance)
    {
        RequireSize(luminance, Periods.Max());
        double[] h = HighPass(luminance);
        return Periods.Max(p => Ratio(h, luminance.Width - 2, luminance.Height - 2, p));
    }

    /// <summary>G_p of the image's luminance at any period (e.g. 7 and 9 as controls for 8).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is below <see cref="MinimumPeriod"/>.</exception>
    /// <exception cref="ArgumentException">The interior is shorter than two periods in either direction.</exception>
    public static double Ratio(RgbImage image, int period) => Ratio(GreyPlane.Luminance(image), period);

    /// <summary>
    /// G_p of a luminance plane: 1 when the high-passed values do not depend on the phase modulo
    /// <paramref name="period"/>, and 1 for a plane with no detail at all (h constant), which has no evidence of a grid.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is below <see cref="MinimumPeriod"/>.</exception>
    /// <exception cref="ArgumentException">The interior is shorter than two periods in either direction.</exception>
    public static double Ratio(GreyPlane luminance, int period)
    {
        RequireSize(luminance, period);
        return Ratio(HighPass(luminance), luminance.Width - 2, luminance.Height - 2, period);
    }

    /// <summary>
    /// h = L − the 3x3 box mean of L on the interior, row-major over the interior (index (y − 1)(W − 2) + x − 1).
    /// </summary>
    /// <remarks>
    /// Written as the mean of the eight differences L(x, y) − L(neighbour), so that a flat plane gives exactly 0 rather
    /// than the rounding of nine additions and a division, which would be a constant and, divided by itself, no ratio.
    /// </remarks>
    public static double[] HighPass(GreyPlane luminance)
    {
        ArgumentNullException.ThrowIfNull(luminance);
        if (luminance.Width < 3 || luminance.Height < 3)
        {
            throw new ArgumentException($"The high-pass needs at least 3x3 pixels, got {luminance.Width}x{luminance.Height}.", nameof(luminance));
        }

        int w = luminance.Width;
        double[] v = luminance.Values;
        var h = new double[(w - 2) * (luminance.Height - 2)];
        int k = 0;
        for (int y = 1; y < luminance.Height - 1; y++)
        {
            for (int x = 1; x < w - 1; x++)
            {
                int i = (y * w) + x;
                double c = v[i];
                double differences = (c - v[i - w - 1]) + (c - v[i - w]) + (c - v[i - w + 1])
                    + (c - v[i - 1]) + (c - v[i + 1])
                    + (c - v[i + w - 1]) + (c - v[i + w]) + (c - v[i + w + 1]);
                h[k++] = differences / 9;
            }
        }

        return h;
    }

    private static double Ratio(double[] h, int interiorWidth, int interiorHeight, int period)
    {
        double mean = h.Average();
        var sums = new double[period * period];
        var counts = new int[period * period];
        double total = 0;
        for (int y = 0; y < interiorHeight; y++)
        {
            // Phases counted from the interior's corner: another origin would only rename the same classes.
            int rowPhase = y % period * period;
            for (int x = 0; x < interiorWidth; x++)
            {
                double d = h[(y * interiorWidth) + x] - mean;
                int phase = rowPhase + (x % period);
                sums[phase] += d;
                counts[phase]++;
                total += d * d;
            }
        }

        if (total == 0)
        {
            return 1.0;
        }

        // Σ n_k (m_k − m)² with m_k − m = (Σ_k d) / n_k; every class has pixels (the size check asks for two periods).
        double between = 0;
        for (int k = 0; k < sums.Length; k++)
        {
            between += sums[k] * sums[k] / counts[k];
        }

        int classes = period * period;
        return between / (classes - 1) / (total / (h.Length - 1));
    }

    private static void RequireSize(GreyPlane luminance, int period)
    {
        ArgumentNullException.ThrowIfNull(luminance);
        ArgumentOutOfRangeException.ThrowIfLessThan(period, MinimumPeriod);
        int needed = 2 * period;
        if (luminance.Width - 2 < needed || luminance.Height - 2 < needed)
        {
            throw new ArgumentException(
                $"The stride-grid measure at period {period} needs an interior of at least two periods ({needed}x{needed} pixels, so an image of at least {needed + 2}x{needed + 2}), got a {luminance.Width}x{luminance.Height} image.",
                nameof(luminance));
        }
    }
}
