using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace NeuralStyle.Bench.Comparison;

/// <summary>
/// The comparison's plots (ScottPlot): per network, seconds per iteration against pixels (log-log, one line per
/// implementation and precision) and the loss against wall time of each configuration (log loss).
/// </summary>
internal static class ComparisonPlots
{
    private const int Width = 900, Height = 560;

    public static string SpeedFile(NetworkResult n) => $"compare-speed-{n.Key}.png";

    public static string LossFile(NetworkResult n) => $"compare-loss-{n.Key}.png";

    /// <summary>Writes every plot of <paramref name="result"/> into <paramref name="directory"/>.</summary>
    public static void Write(ComparisonResult result, string directory)
    {
        foreach (NetworkResult n in result.Networks)
        {
            Speed(n, result, Path.Combine(directory, SpeedFile(n)));
            if (n.Curves.Count > 0)
            {
                Loss(n, result, Path.Combine(directory, LossFile(n)));
            }
        }
    }

    private static void Speed(NetworkResult n, ComparisonResult result, string path)
    {
        var plot = new Plot();
        var notes = new List<string>();
        var all = new List<double>();
        foreach (string configuration in Configurations.All)
        {
            var points = n.Sizes
                .Select(z => (z.Size, Samples: z.Configurations.Single(c => c.Name == configuration)))
                .Where(p => p.Samples.Refusal is null && p.Samples.Seconds.Count > 0)
                .Select(p => (Pixels: (double)p.Size * p.Size, Seconds: BenchData.Median(p.Samples.Seconds)))
                .ToList();
            if (points.Count == 0)
            {
                notes.Add($"{configuration}: n/a ({Short(n.Sizes.Select(z => z.Configurations.Single(c => c.Name == configuration).Refusal).FirstOrDefault(x => x is not null) ?? "no samples")})");
                continue;
            }

            all.AddRange(points.Select(p => p.Seconds));
            var line = plot.Add.Scatter(points.Select(p => Math.Log10(p.Pixels)).ToArray(), points.Select(p => Math.Log10(p.Seconds)).ToArray());
            Style(line, configuration);
        }

        var x = new NumericManual();
        foreach (SizeResult z in n.Sizes)
        {
            x.AddMajor(Math.Log10((double)z.Size * z.Size), string.Create(CultureInfo.InvariantCulture, $"{z.Size}x{z.Size}\n{z.Size * (double)z.Size / 1e6:0.###} MP"));
        }

        plot.Axes.Bottom.TickGenerator = x;
        LogAxis(plot, all, notes.Count + 1);
        double margin = 0.15;
        if (n.Sizes.Count > 0)
        {
            double lo = Math.Log10((double)n.Sizes.Min(z => z.Size) * n.Sizes.Min(z => z.Size)), hi = Math.Log10((double)n.Sizes.Max(z => z.Size) * n.Sizes.Max(z => z.Size));
            plot.Axes.SetLimitsX(lo - margin, hi + margin);
        }

        plot.Title($"{Capitalised(n.Title)}: seconds per style-loop iteration");
        plot.XLabel("image size (pixels, log scale)");
        plot.YLabel($"seconds per iteration, median (log scale)");
        Finish(plot, notes, Alignment.UpperLeft, path, result);
    }

    private static void Loss(NetworkResult n, ComparisonResult result, string path)
    {
        var plot = new Plot();
        var notes = new List<string>();
        var all = new List<double>();
        foreach (LossCurve curve in n.Curves)
        {
            if (curve.Refusal is not null || curve.Losses.Count == 0)
            {
                notes.Add($"{curve.Name}: n/a ({Short(curve.Refusal ?? "no samples")})");
                continue;
            }

            all.AddRange(curve.Losses.Where(l => l > 0));
            var line = plot.Add.Scatter(curve.Seconds.ToArray(), curve.Losses.Select(l => Math.Log10(Math.Max(l, 1e-30))).ToArray());
            Style(line, curve.Name);
            line.MarkerSize = 0;
        }

        LogAxis(plot, all, notes.Count + 1);
        double end = n.Curves.Where(c => c.Seconds.Count > 0).Select(c => c.Seconds[^1]).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsX(0, end * 1.03);
        int iterations = n.Curves.Max(c => c.Losses.Count);
        plot.Title($"{Capitalised(n.Title)}: loss over {iterations} iterations, width {result.Settings.CurveWidth}");
        plot.XLabel("wall time since the first iteration started (seconds)");
        plot.YLabel("total loss (log scale)");
        Finish(plot, notes, Alignment.UpperRight, path, result);
    }

    // Ours in blue, PyTorch in orange; fp32 solid with circles, bf16 dashed with squares.
    private static void Style(ScottPlot.Plottables.Scatter line, string configuration)
    {
        line.LegendText = configuration;
        line.Color = Configurations.IsOurs(configuration) ? Colors.RoyalBlue : Colors.DarkOrange;
        line.LineWidth = 2.5f;
        line.MarkerSize = 9;
        line.MarkerShape = Configurations.IsBf16(configuration) ? MarkerShape.FilledSquare : MarkerShape.FilledCircle;
        line.LinePattern = Configurations.IsBf16(configuration) ? LinePattern.Dashed : LinePattern.Solid;
    }

    private static void Finish(Plot plot, List<string> notes, Alignment legend, string path, ComparisonResult result)
    {
        plot.ShowLegend(legend);
        plot.Legend.FontSize = 14;
        plot.Axes.Title.Label.FontSize = 16;
        plot.Axes.Bottom.Label.FontSize = 15;
        plot.Axes.Left.Label.FontSize = 15;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        string footer = $"{result.Machine.CpuModel}, {result.Machine.Threads} threads, TorchSharp {result.Machine.TorchSharp} vs PyTorch {result.Pytorch.Torch} ({(result.Pytorch.OpenBlas ? "OpenBLAS" : "NOT OpenBLAS")}), {result.Date}";
        plot.Add.Annotation(string.Join("\n", notes.Append(footer)), Alignment.LowerRight).LabelFontSize = 11;
        plot.SavePng(path, Width, Height);
    }

    // A log10 vertical axis over the values, with room at the bottom for the notes' lines (the annotation) so that
    // they never cover a line.
    private static void LogAxis(Plot plot, List<double> values, int noteLines)
    {
        if (values.Count == 0)
        {
            return;
        }

        double low = Math.Log10(values.Min()), high = Math.Log10(values.Max());
        double range = Math.Max(high - low, 0.1);
        plot.Axes.Left.TickGenerator = LogTicks(values.Min(), values.Max());
        plot.Axes.SetLimitsY(low - (range * (0.08 + (0.07 * noteLines))), high + (range * 0.08));
    }

    // Major ticks at "round" multiples of the powers of ten that span the values (plotted as log10): 1, 2 and 5 when
    // they span several decades, every digit (and 1.5) when they span about one, so that a narrow range still gets labels.
    private static NumericManual LogTicks(double min, double max)
    {
        var ticks = new NumericManual();
        int low = (int)Math.Floor(Math.Log10(min)), high = (int)Math.Ceiling(Math.Log10(max));
        double decades = Math.Log10(max / min);
        double[] multiples = decades > 3 ? [1] : decades > 1.2 ? [1, 2, 5] : [1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9];
        foreach (int power in Enumerable.Range(low, high - low + 1))
        {
            foreach (double m in multiples)
            {
                double v = m * Math.Pow(10, power);
                if (v >= min / 1.3 && v <= max * 1.3)
                {
                    ticks.AddMajor(Math.Log10(v), Label(v));
                }
            }
        }

        return ticks;
    }

    // 0.5, 20, 15000, 2.5e6: plain numbers up to 100000, then mantissa and exponent.
    private static string Label(double v)
    {
        if (v >= 1e5)
        {
            int e = (int)Math.Floor(Math.Log10(v));
            return string.Create(CultureInfo.InvariantCulture, $"{v / Math.Pow(10, e):0.#}e{e}");
        }

        return v.ToString(v >= 1000 ? "#,0" : "0.###", CultureInfo.InvariantCulture);
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Short(string text) => text.Length <= 90 ? text : text[..87] + "...";
}
