using NeuralStyle.Files;
using NeuralStyle.Jobs;
using ScottPlot;

namespace NeuralStyle.Plotting;

/// <summary>
/// A run's losses as a PNG picture: two panels side by side, the losses against the iteration and against the seconds
/// since the job started; one colour per term (<see cref="LossTerm.All"/>), a log scale shared by both panels.
/// </summary>
/// <remarks>
/// The scales of a coarse-to-fine run follow one another on both x axes (each scale's iterations after the previous
/// scale's), each starting at a dashed vertical line named after it, and no line joins two scales: a scale's losses
/// start from a different level (more pixels, a different image size for the network), so a joining line would
/// draw a jump that never happened. Offsetting the iterations rather than overlaying the scales keeps the two panels
/// alike (time only goes forward) and shows how long each scale took. Zero or negative values (a term whose weight
/// is 0; the content loss of a start from the content image) cannot be shown on a log scale: the lines break there,
/// and a term with no value to show says so in the legend.
/// </remarks>
public static class LossPlot
{
    /// <summary>Width of the picture in pixels unless asked otherwise: two panels of 700.</summary>
    public const int DefaultWidth = 1400;

    /// <summary>Height of the picture in pixels unless asked otherwise.</summary>
    public const int DefaultHeight = 560;

    /// <summary>The largest width or height accepted (a plot is a few hundred pixels; this only refuses a mistake).</summary>
    public const int MaxSide = 8192;

    // The pixels of a panel outside its data area (axis labels, ticks, margins; the legend beside the time panel),
    // and a label character's width at 12 px: enough to tell whether a scale's name fits before the next scale begins.
    private const int PanelFrame = 110;
    private const int LegendWidth = 130;
    private const double CharacterWidth = 6.5;

    // Short runs get a marker at each point so that a scale of one or two iterations is still seen.
    private const int MarkersUpTo = 25;

    /// <summary>Draws <paramref name="points"/> and returns the PNG file's bytes.</summary>
    /// <param name="points">The losses in the order they were evaluated (<see cref="LossHistory.Snapshot"/>); may be empty.</param>
    /// <param name="scales">The run's number of scales, for the labels ("scale 2/3"); null to name the scales without it.</param>
    /// <param name="width">Picture width in pixels (both panels).</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size below 100 or above <see cref="MaxSide"/>.</exception>
    public static byte[] RenderPng(IReadOnlyList<LossPoint> points, int? scales = null, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxSide);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxSide);
        var layout = new LossSegments(points);
        var figure = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        figure.AddPlots(2);
        bool manyScales = scales > 1 || layout.Starts.Count > 0;
        Panel(figure.GetPlot(0), layout, points, bySeconds: false, manyScales ? scales : null, (width / 2) - PanelFrame);
        Panel(figure.GetPlot(1), layout, points, bySeconds: true, manyScales ? scales : null, (width / 2) - PanelFrame - LegendWidth);
        Legend(figure.GetPlot(1), layout, points.Count > 0);
        using ScottPlot.Image image = figure.Render(width, height);
        return image.GetImageBytes(ImageFormat.Png, 100);
    }

    /// <summary>
    /// Draws <paramref name="points"/> into <paramref name="path"/> (a .png), atomically: the picture is drawn first,
    /// then written to PATH.tmp and renamed over PATH, so the file holds a whole plot or the previous contents.
    /// </summary>
    /// <param name="points">The losses (see <see cref="RenderPng"/>).</param>
    /// <param name="path">The file; its directory must exist.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    /// <param name="scales">The run's number of scales, or null.</param>
    /// <exception cref="ArgumentException">The name does not end in .png.</exception>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or it cannot be written (the message names it and the cause).</exception>
    public static void Write(IReadOnlyList<LossPoint> points, string path, bool overwrite, int? scales = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!IsPngName(path))
        {
            throw new ArgumentException($"{path}: a loss plot is written as PNG; give a name ending in .png", nameof(path));
        }

        byte[] png = RenderPng(points, scales);
        if (!overwrite && File.Exists(path))
        {
            throw new IOException($"{path} already exists (use --overwrite to replace it)");
        }

        AtomicFile.Write(path, "the loss plot", stream => stream.Write(png));
    }

    /// <summary>Whether <paramref name="path"/> ends in .png (any case), the only format plots are written in.</summary>
    public static bool IsPngName(string path) => string.Equals(Path.GetExtension(path), ".png", StringComparison.OrdinalIgnoreCase);

    private static void Panel(Plot plot, LossSegments layout, IReadOnlyList<LossPoint> points, bool bySeconds, int? scales, int dataWidth)
    {
        // The total first, wide, and the terms over it: where one term makes nearly all of the total (the style, often)
        // the two lines coincide, and the term's line then runs inside the total's instead of vanishing under it.
        LossTerm total = LossTerm.All[^1];
        foreach (LossTerm term in LossTerm.All.Where(t => t != total).Prepend(total))
        {
            foreach (LossSegment segment in layout.Of(term, bySeconds))
            {
                var line = plot.Add.Scatter(segment.X, segment.Log10Loss, Color.FromHex(term.Color));
                line.LineWidth = term == total ? 3.6f : 1.6f;
                line.MarkerSize = segment.X.Length <= MarkersUpTo ? (term == total ? 8 : 5) : 0;
            }
        }

        if (layout.Range() is (double min, double max))
        {
            double low = Math.Log10(min), high = Math.Log10(max);
            double pad = Math.Max(high - low, 0.2) * 0.06;
            plot.Axes.Left.TickGenerator = LogTicks.Between(min, max);
            plot.Axes.SetLimitsY(low - pad, high + (pad * 2.5));
            // At least ten iterations (or a second) wide: a run that stopped after one iteration still gets a
            // readable axis, its point at the left.
            double first = bySeconds ? 0 : layout.IterationAxis[0];
            double last = Math.Max(bySeconds ? points[^1].Seconds : layout.IterationAxis[^1], first + (bySeconds ? 1 : 9));
            double room = (last - first) * 0.03;
            plot.Axes.SetLimitsX(first - room, last + room);
            if (!bySeconds)
            {
                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            }

            if (scales is not null || layout.Starts.Count > 0)
            {
                ScaleRules(plot, layout, points, bySeconds, scales, (first - room, last + room), high + (pad * 2.5), dataWidth);
            }
        }
        else
        {
            // No scale to number: empty axes, and the reason in the middle.
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
            plot.Axes.SetLimits(0, 1, 0, 1);
            plot.Add.Annotation(points.Count == 0 ? "no losses yet" : "no loss above 0 to show on a log scale", Alignment.MiddleCenter);
        }

        plot.Title(bySeconds ? "Losses by time" : "Losses by iteration", 15);
        plot.XLabel(bySeconds ? "seconds since the network was loaded" : scales is null ? "iteration" : "iteration (the scales one after another)", 13);
        plot.YLabel("loss (log scale)", 13);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
    }

    // A dashed line where each scale begins (the first's too, so that every scale carries its name), named at the top
    // inside the panel; a name that would run into the next scale's is left out (the other panel, or the line's
    // order, tells which scale it is): on the time axis the coarse scales are often a few pixels wide.
    private static void ScaleRules(Plot plot, LossSegments layout, IReadOnlyList<LossPoint> points, bool bySeconds, int? scales, (double Left, double Right) x, double top, int dataWidth)
    {
        ScaleStart[] starts = [new ScaleStart(points[0].Scale, layout.IterationAxis[0], points[0].Seconds), .. layout.Starts];
        double pixelsPerUnit = Math.Max(dataWidth, 1) / (x.Right - x.Left);
        for (int k = 0; k < starts.Length; k++)
        {
            double at = bySeconds ? starts[k].Seconds : starts[k].Iteration;
            double next = k + 1 < starts.Length ? (bySeconds ? starts[k + 1].Seconds : starts[k + 1].Iteration) : x.Right;
            plot.Add.VerticalLine(at, 1, Colors.Gray, LinePattern.Dashed);
            string name = scales is int n ? $"scale {starts[k].Scale}/{n}" : $"scale {starts[k].Scale}";
            if ((next - at) * pixelsPerUnit >= (name.Length * CharacterWidth) + 8)
            {
                var label = plot.Add.Text(name, at, top);
                label.Alignment = Alignment.UpperLeft;
                label.OffsetX = 3;
                label.OffsetY = 3;
                label.LabelFontSize = 12;
                label.LabelFontColor = Colors.DimGray;
            }
        }
    }

    // One entry per term, by colour; a term without any value a log scale can show (a weight of 0) says why it has no line.
    private static void Legend(Plot plot, LossSegments layout, bool anyPoint)
    {
        foreach (LossTerm term in LossTerm.All)
        {
            bool drawn = !anyPoint || layout.Of(term, bySeconds: true).Any();
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = drawn ? term.Name : $"{term.Name} (no value above 0)",
                LineColor = Color.FromHex(term.Color),
                LineWidth = term == LossTerm.All[^1] ? 3.6f : 2.5f,
            });
        }

        plot.Legend.FontSize = 13;
        // Outside the data, right of the time panel: inside it would hide the end of the run, where the lines are.
        plot.ShowLegend(Edge.Right);
    }
}
