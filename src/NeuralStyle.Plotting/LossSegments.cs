using NeuralStyle.Jobs;

namespace NeuralStyle.Plotting;

/// <summary>A run of consecutive plottable values of one term within one scale: x and log10 of the loss.</summary>
internal sealed record LossSegment(LossTerm Term, int Scale, double[] X, double[] Log10Loss);

/// <summary>Where a scale begins on each panel's x axis.</summary>
internal sealed record ScaleStart(int Scale, double Iteration, double Seconds);

/// <summary>
/// The points of a run laid out for the two panels: the iteration axis (each scale's iterations after the previous
/// scale's), where each scale begins, and each term's lines, broken between scales and at values a log scale cannot
/// show.
/// </summary>
internal sealed class LossSegments
{
    private readonly IReadOnlyList<LossPoint> _points;

    public LossSegments(IReadOnlyList<LossPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        _points = points;
        IterationAxis = Lay(points);
        Starts = [.. points.Select((p, i) => (p, i)).Where(t => t.i > 0 && t.p.Scale != points[t.i - 1].Scale)
            .Select(t => new ScaleStart(t.p.Scale, IterationAxis[t.i], t.p.Seconds))];
    }

    /// <summary>Each point's position on the iteration panel.</summary>
    public double[] IterationAxis { get; }

    /// <summary>The scales that begin after the first point (the first scale's start is the axis's left end).</summary>
    public IReadOnlyList<ScaleStart> Starts { get; }

    /// <summary>The lines of <paramref name="term"/> against the iteration axis (or the seconds, <paramref name="bySeconds"/>).</summary>
    public IEnumerable<LossSegment> Of(LossTerm term, bool bySeconds)
    {
        var x = new List<double>();
        var y = new List<double>();
        int scale = 0;
        for (int i = 0; i < _points.Count; i++)
        {
            LossPoint p = _points[i];
            double value = term.ValueOf(p);
            bool shown = double.IsFinite(value) && value > 0;
            if (x.Count > 0 && (!shown || p.Scale != scale))
            {
                yield return new LossSegment(term, scale, [.. x], [.. y]);
                x.Clear();
                y.Clear();
            }

            if (shown)
            {
                scale = p.Scale;
                x.Add(bySeconds ? p.Seconds : IterationAxis[i]);
                y.Add(Math.Log10(value));
            }
        }

        if (x.Count > 0)
        {
            yield return new LossSegment(term, scale, [.. x], [.. y]);
        }
    }

    /// <summary>
    /// The range of the log scale: up to the largest value, down to the smallest but no further than a tenth of the
    /// 1% quantile of every term's values; null when no value can be shown.
    /// </summary>
    /// <remarks>
    /// A run started from the content image has a content loss of nearly 0 at its first iteration (1e-8 where the
    /// others are 1e4): shown in full it would squeeze every line into the top tenth of the plot. Its line leaves
    /// the panel at the bottom instead. A whole term far below the others (a small weight) is more than 1% of the
    /// values, so it keeps its place.
    /// </remarks>
    public (double Min, double Max)? Range()
    {
        double[] values = [.. _points.SelectMany(p => LossTerm.All.Select(t => t.ValueOf(p))).Where(v => double.IsFinite(v) && v > 0).Order()];
        if (values.Length == 0)
        {
            return null;
        }

        double quantile = values[(int)(0.01 * (values.Length - 1))];
        return (Math.Max(values[0], quantile / 10), values[^1]);
    }

    // The iterations of a scale follow the previous scale's: a scale's first point comes one after the last point of
    // the scale before. The first scale keeps its own numbers, so a single-scale run (or a resumed final scale, which
    // starts past 1) reads its iterations as the console printed them.
    private static double[] Lay(IReadOnlyList<LossPoint> points)
    {
        var x = new double[points.Count];
        double offset = 0;
        for (int i = 0; i < points.Count; i++)
        {
            if (i > 0 && points[i].Scale != points[i - 1].Scale)
            {
                offset = x[i - 1] + 1 - points[i].Iteration;
            }

            x[i] = points[i].Iteration + offset;
        }

        return x;
    }
}
