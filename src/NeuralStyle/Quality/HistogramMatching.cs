namespace NeuralStyle.Quality;

/// <summary>
/// Exact histogram matching of one plane to another, as scikit-image's <c>match_histograms</c> does for float
/// images: each distinct source value goes to the reference value at the same cumulative quantile, interpolated
/// linearly between the reference's distinct values.
/// </summary>
public static class HistogramMatching
{
    /// <summary>Returns <paramref name="source"/> with the value distribution of <paramref name="reference"/> (sizes may differ).</summary>
    public static GreyPlane Match(GreyPlane source, GreyPlane reference)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(reference);
        (double[] srcValues, double[] srcQuantiles) = Quantiles(source.Values);
        (double[] refValues, double[] refQuantiles) = Quantiles(reference.Values);
        var mapped = new Dictionary<double, double>(srcValues.Length);
        for (int i = 0; i < srcValues.Length; i++)
        {
            mapped[srcValues[i]] = Interpolate(srcQuantiles[i], refQuantiles, refValues);
        }

        return new GreyPlane(source.Width, source.Height, [.. source.Values.Select(v => mapped[v])]);
    }

    // The distinct values, ascending, and the share of values at or below each one (numpy's unique + cumsum / size).
    private static (double[] Values, double[] Quantiles) Quantiles(double[] data)
    {
        if (data.Any(double.IsNaN))
        {
            throw new ArgumentException("Histogram matching needs values that are not NaN.", nameof(data));
        }

        double[] sorted = [.. data.Order()];
        var values = new List<double>();
        var quantiles = new List<double>();
        for (int i = 0; i < sorted.Length; i++)
        {
            if (i + 1 == sorted.Length || sorted[i + 1] != sorted[i])
            {
                values.Add(sorted[i]);
                quantiles.Add((double)(i + 1) / sorted.Length);
            }
        }

        return ([.. values], [.. quantiles]);
    }

    // numpy.interp: linear between the knots, the end values beyond them.
    private static double Interpolate(double x, double[] xs, double[] ys)
    {
        if (x <= xs[0])
        {
            return ys[0];
        }

        if (x >= xs[^1])
        {
            return ys[^1];
        }

        int j = Array.BinarySearch(xs, x);
        if (j >= 0)
        {
            return ys[j];
        }

        int hi = ~j;
        int lo = hi - 1;
        double slope = (ys[hi] - ys[lo]) / (xs[hi] - xs[lo]);
        return (slope * (x - xs[lo])) + ys[lo];
    }
}
