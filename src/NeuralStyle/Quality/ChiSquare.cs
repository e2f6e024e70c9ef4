namespace NeuralStyle.Quality;

/// <summary>The chi-square distance between histograms: Σ (a − b)² / (a + b) over the bins where a + b > 0 (no ½ factor).</summary>
public static class ChiSquare
{
    /// <summary>The distance between two histograms of the same length.</summary>
    public static double Distance(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
        {
            throw new ArgumentException($"Histograms of {a.Count} and {b.Count} bins cannot be compared.", nameof(b));
        }

        double sum = 0;
        for (int i = 0; i < a.Count; i++)
        {
            double total = a[i] + b[i];
            if (total > 0)
            {
                double d = a[i] - b[i];
                sum += d * d / total;
            }
        }

        return sum;
    }

    /// <summary>
    /// How far <paramref name="result"/> is from <paramref name="style"/> relative to how far <paramref name="content"/>
    /// is: 0 = the style's histogram, 1 = as far as the content. NaN when content and style have the same histogram.
    /// </summary>
    public static double Ratio(IReadOnlyList<double> result, IReadOnlyList<double> content, IReadOnlyList<double> style)
    {
        double reference = Distance(content, style);
        return reference > 0 ? Distance(result, style) / reference : double.NaN;
    }
}
