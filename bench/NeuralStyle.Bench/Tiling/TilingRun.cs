using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Runtime;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Tiling;

namespace NeuralStyle.Bench.Tiling;

/// <summary>One measured configuration of the tiling benchmark, as the child process reports it.</summary>
internal sealed record TilingSample(
    string Network, int Size, int? RequestedTile, int? BudgetMiB, int? Tile, int Margin, int Blocks, int BlockSide,
    double SetupSeconds, List<double> IterationSeconds, long PeakBytes, long EstimateBytes, double FirstLoss);

/// <summary>
/// One run in its own process (peak memory is the process's VmHWM): the engine on a size x size picture (the example
/// content and style, resized), untiled, at a given tile, or at the tile the job would choose under a memory budget.
/// </summary>
internal static class TilingRun
{
    public static int Run(string[] args)
    {
        string network = "resnet18";
        int size = 512, iterations = 4, threads = 2;
        int? tile = null, budget = null;
        for (int a = 1; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--network": network = args[++a]; break;
                case "--size": size = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--tile": tile = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--budget": budget = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--iterations": iterations = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[a]}");
            }
        }

        TorchRuntime.Initialize(new RuntimeOptions(threads));
        var clock = Stopwatch.StartNew();
        using var owner = (IDisposable)Open(network);
        var backbone = (IFeatureNetwork)owner;
        StyleTransferSettings settings = Recipe(network, backbone) with { Iterations = iterations, PrintIterations = 1, Seed = 1, TileSize = tile };
        string root = Repository.Root();
        RgbImage content = ImageResizer.Resize(ImageReader.Read(Path.Combine(root, "examples", "chelsea.png")), size, size);
        RgbImage style = ImageResizer.Resize(ImageReader.Read(Path.Combine(root, "examples", "brick.png")), size, size);

        // The job's own decision and estimate: the tile asked for, or the one the budget leads to.
        long estimate = 0;
        TilingPlan? plan = JobMemory.Check(backbone, settings, new JobImageSizes((size, size), [(size, size)]), budget ?? int.MaxValue, [new ScaleStep(size, size, iterations)], e =>
        {
            if (e is MemoryChecked m)
            {
                estimate = m.EstimatedBytes;
            }
        });
        settings = settings with { TileSize = plan?.Tile ?? tile };
        var transfer = new StyleTransfer(backbone, settings, plan?.Geometry);
        TileGrid? grid = transfer.GridFor(size, size);

        var starts = new List<double>();
        var peaks = new List<long>();
        double firstLoss = double.NaN, end = 0;
        foreach (TransferEvent e in transfer.Stylize(content, [style]))
        {
            switch (e)
            {
                case IterationStarted:
                    starts.Add(clock.Elapsed.TotalSeconds);
                    peaks.Add(PeakBytes() >> 20);
                    break;
                case LossesEvaluated l when double.IsNaN(firstLoss):
                    firstLoss = l.Losses.Total;
                    break;
                case ImageProduced { IsFinal: true }:
                    end = clock.Elapsed.TotalSeconds;
                    break;
            }
        }

        // Each iteration runs from its start to the next one's; the last ends with the final picture's evaluation,
        // so it is left out, and so is the first (warm-up: kernels chosen, memory first touched).
        List<double> durations = [.. starts.Zip(starts.Skip(1), (a, b) => b - a)];
        var sample = new TilingSample(network, size, tile, budget, grid is null ? null : settings.TileSize, grid?.Margin ?? 0, grid?.Blocks.Count ?? 1,
            grid is null ? size : Math.Max(grid.LargestBlock.Width, grid.LargestBlock.Height), starts[0], durations, PeakBytes(), estimate, firstLoss);
        Console.WriteLine(JsonSerializer.Serialize(sample));
        Console.Error.WriteLine($"peak MiB at each iteration's start: {string.Join(", ", peaks)}; at the end {PeakBytes() >> 20}");
        return end > 0 ? 0 : 1;
    }

    private static object Open(string network) => network switch
    {
        "resnet18" => BundledResNet18.Load(),
        "vgg19" => RandomVgg19.Create("relu5_1", seed: 0),
        _ => throw new ArgumentException($"unknown network {network} (resnet18 or vgg19)"),
    };

    // What the CLI runs by default for each: the bundled ResNet-18 with its own recipe, VGG-19 with the seed's.
    private static StyleTransferSettings Recipe(string network, IFeatureNetwork backbone) => network == "resnet18"
        ? PictureChoice.Backbone.ApplyTo(LossWeightChoice.Backbone.ApplyTo(new StyleTransferSettings(), backbone.Defaults.EffectiveWeights), backbone.Defaults.EffectivePicture)
        : new StyleTransferSettings();

    private static long PeakBytes()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
