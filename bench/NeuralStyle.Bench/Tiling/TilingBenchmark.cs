using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace NeuralStyle.Bench.Tiling;

/// <summary>
/// Issue 15's measurements: seconds per iteration and peak resident memory of the engine, untiled and tiled, at sizes
/// from 512x512 to 4096x4096, with the bundled ResNet-18 and VGG-19's shapes (random weights). Each configuration runs
/// in a process of its own, one after the other, so that its peak is its own. Writes BENCHMARKS.md's section,
/// docs/bench/tiling.json and the plot docs/bench/tiling-time.png.
/// </summary>
internal static class TilingBenchmark
{
    public const string Begin = "<!-- tiling:begin -->";
    public const string End = "<!-- tiling:end -->";
    private const string Heading = "## Large images: exact tiling (issue 15)";

    // (network, size, tile, memory budget in MiB, iterations): untiled and tiled where both fit, then the sizes only
    // tiling reaches, at the tile the job chooses under the budget of issue 15's targets.
    private static readonly (string Network, int Size, int? Tile, int? Budget, int Iterations)[] Matrix =
    [
        ("resnet18", 512, null, null, 4), ("resnet18", 512, 256, null, 4),
        ("resnet18", 1024, null, null, 4), ("resnet18", 1024, 512, null, 4), ("resnet18", 1024, null, 3000, 4),
        ("resnet18", 2048, null, null, 3), ("resnet18", 2048, 1024, null, 3),
        ("resnet18", 4096, null, 12000, 3),
        ("vgg19", 512, null, null, 4), ("vgg19", 512, 256, null, 4),
        ("vgg19", 1024, null, null, 4), ("vgg19", 1024, null, 3000, 4),
        ("vgg19", 2048, null, 12000, 3),
        ("vgg19", 4096, null, 12000, 3),
    ];

    public static int Run(string[] args)
    {
        bool write = !args.Contains("--no-write");
        string? only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
        string root = Repository.Root();
        string dll = typeof(TilingBenchmark).Assembly.Location;
        var samples = new List<TilingSample>();
        string loadBefore = File.ReadAllText("/proc/loadavg").Trim();
        foreach ((string network, int size, int? tile, int? budget, int iterations) in Matrix.Where(m => only is null || m.Network == only))
        {
            string extra = (tile is int t ? $" --tile {t}" : "") + (budget is int b ? $" --budget {b}" : "");
            Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {network} {size}x{size}{extra} ...");
            var start = new ProcessStartInfo("dotnet", $"{dll} tiling-one --network {network} --size {size} --iterations {iterations}{extra}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using Process child = Process.Start(start)!;
            Task<string> error = child.StandardError.ReadToEndAsync();
            string output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            string? line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
            if (child.ExitCode != 0 || line is null)
            {
                Console.Error.WriteLine($"  failed ({child.ExitCode}): {error.Result.Trim().Split('\n').LastOrDefault()}");
                continue;
            }

            TilingSample sample = JsonSerializer.Deserialize<TilingSample>(line)!;
            Console.Error.WriteLine($"  {Describe(sample)}");
            samples.Add(sample);
        }

        string loadAfter = File.ReadAllText("/proc/loadavg").Trim();
        string machine = Machine();
        string section = Markdown(samples, machine, loadBefore, loadAfter, string.Join(" ", args.Skip(1)));
        Console.WriteLine(section);
        if (write)
        {
            string bench = Path.Combine(root, "docs", "bench");
            Directory.CreateDirectory(bench);
            File.WriteAllText(Path.Combine(bench, "tiling.json"), JsonSerializer.Serialize(new { Machine = machine, LoadBefore = loadBefore, LoadAfter = loadAfter, Samples = samples }, new JsonSerializerOptions { WriteIndented = true }));
            Plot(samples, machine, Path.Combine(bench, "tiling-time.png"));
            WriteInto(Path.Combine(root, "BENCHMARKS.md"), section);
        }

        return 0;
    }

    private static string Describe(TilingSample s) => Invariant($"{How(s)}: {Seconds(s):0.##} s/iteration, setup {s.SetupSeconds:0.#} s, peak {s.PeakBytes >> 20} MiB, estimate {s.EstimateBytes >> 20} MiB, first loss {s.FirstLoss:G6}");

    private static string How(TilingSample s) => s.Tile is int t
        ? Invariant($"{s.Network} {s.Size}x{s.Size} tiled {t} (+{s.Margin}, {s.Blocks} blocks of up to {s.BlockSide})")
        : Invariant($"{s.Network} {s.Size}x{s.Size} untiled");

    // The iterations after the first (warm-up), median.
    private static double Seconds(TilingSample s) => s.IterationSeconds.Count > 1 ? BenchData.Median(s.IterationSeconds.Skip(1)) : s.IterationSeconds.FirstOrDefault();

    private static string Markdown(List<TilingSample> samples, string machine, string loadBefore, string loadAfter, string args)
    {
        var s = new StringBuilder();
        s.AppendLine(Invariant($"Command: `dotnet run -c Release --project bench/NeuralStyle.Bench -- tiling{(args.Length > 0 ? " " + args : "")}`; machine: {machine}; load average before {loadBefore.Split(' ')[0]}, after {loadAfter.Split(' ')[0]}; {DateTime.UtcNow:yyyy-MM-dd}."));
        s.AppendLine();
        s.AppendLine("Each row is one process: the engine on the example content and style resized to the square size, the network's own recipe (the bundled ResNet-18's: SWAG, decorrelated colours, random transforms, chroma TV; VGG-19's shapes with random weights: the seed's), Adam. Seconds per iteration: median of the iterations after the first (which chooses kernels and first touches memory). Peak: the process's VmHWM, setup (loading, targets) included. Budget: the tile the job chooses under `--max-memory` of that size (the largest that fits its estimate).");
        s.AppendLine();
        s.AppendLine("| network | size | evaluation | s / iteration | tiled / untiled | setup s | peak MiB | estimate MiB |");
        s.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (TilingSample x in samples)
        {
            TilingSample? untiled = samples.FirstOrDefault(u => u.Network == x.Network && u.Size == x.Size && u.Tile is null);
            string ratio = x.Tile is not null && untiled is not null ? Invariant($"{Seconds(x) / Seconds(untiled):0.00}") : "";
            string evaluation = x.Tile is int t
                ? Invariant($"{x.Blocks} blocks: tile {t} + margin {x.Margin} (largest {x.BlockSide})") + (x.BudgetMiB is int b ? Invariant($", chosen under {b} MiB") : "")
                : "untiled" + (x.BudgetMiB is int b2 ? Invariant($" (fits {b2} MiB)") : "");
            s.AppendLine(Invariant($"| {Name(x.Network)} | {x.Size}x{x.Size} ({x.Size * (double)x.Size / 1e6:0.##} MP) | {evaluation} | {Seconds(x):0.00} | {ratio} | {x.SetupSeconds:0} | {x.PeakBytes >> 20} | {x.EstimateBytes >> 20} |"));
        }

        s.AppendLine();
        s.Append("![Seconds per iteration against pixels, tiled and untiled](docs/bench/tiling-time.png)");
        return s.ToString();
    }

    private static string Name(string network) => network == "resnet18" ? "ResNet-18 (bundled)" : "VGG-19 shapes";

    private static void Plot(List<TilingSample> samples, string machine, string path)
    {
        var plot = new Plot();
        foreach (string network in samples.Select(x => x.Network).Distinct())
        {
            foreach (bool tiled in new[] { false, true })
            {
                var points = samples.Where(x => x.Network == network && (x.Tile is not null) == tiled)
                    .GroupBy(x => x.Size).Select(g => g.OrderBy(Seconds).First()).OrderBy(x => x.Size).ToList();
                if (points.Count == 0)
                {
                    continue;
                }

                var line = plot.Add.Scatter(points.Select(p => Math.Log10((double)p.Size * p.Size)).ToArray(), points.Select(p => Math.Log10(Seconds(p))).ToArray());
                line.LegendText = $"{Name(network)}, {(tiled ? "tiled" : "untiled")}";
                line.LinePattern = tiled ? LinePattern.Dashed : LinePattern.Solid;
                line.LineWidth = 2;
                line.MarkerSize = 8;
            }
        }

        var x = new ScottPlot.TickGenerators.NumericManual();
        foreach (int size in samples.Select(s => s.Size).Distinct().Order())
        {
            x.AddMajor(Math.Log10((double)size * size), Invariant($"{size}x{size}\n{size * (double)size / 1e6:0.##} MP"));
        }

        var y = new ScottPlot.TickGenerators.NumericManual();
        foreach (double v in new[] { 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000 })
        {
            y.AddMajor(Math.Log10(v), Invariant($"{v:0.#}"));
        }

        plot.Axes.Bottom.TickGenerator = x;
        plot.Axes.Left.TickGenerator = y;
        plot.Title("Seconds per iteration against image size, untiled and tiled");
        plot.XLabel("image size (pixels, log scale)");
        plot.YLabel("seconds per iteration (log scale)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Add.Annotation(machine, Alignment.LowerRight).LabelFontSize = 11;
        plot.SavePng(path, 900, 560);
    }

    private static string Machine()
    {
        string model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        return Invariant($"{model}, {Environment.ProcessorCount} logical processors, 2 threads");
    }

    private static void WriteInto(string path, string section)
    {
        string text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        int begin = text.IndexOf(Begin, StringComparison.Ordinal), end = text.IndexOf(End, StringComparison.Ordinal);
        string block = $"{Begin}\n{section}\n{End}";
        text = begin >= 0 && end > begin
            ? string.Concat(text.AsSpan(0, begin), block, text.AsSpan(end + End.Length))
            : $"{text.TrimEnd()}\n\n{Heading}\n\n{block}\n";
        File.WriteAllText(path, text);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
