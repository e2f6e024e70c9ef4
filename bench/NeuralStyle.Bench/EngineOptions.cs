using System.Diagnostics;
using System.Globalization;
using NeuralStyle.Backbones;
using NeuralStyle.Cli;
using NeuralStyle.Imaging;
using NeuralStyle.Runtime;
using NeuralStyle.Transfer;

/// <summary>
/// Issue 14, item 2: each candidate engine option against the current code, as a same-run ratio. For every option,
/// size and network a baseline run and a variant run go side by side in one process, one iteration of each in turn,
/// so that a shared machine's load weighs on both alike (the oneDNN primitive cache, which LibTorch reads once when it
/// loads, alternates child processes instead); the figure is the ratio of the medians of every timed iteration,
/// variant / baseline (below 1: the variant is faster).
/// </summary>
/// <remarks>
/// usage: dotnet bench/NeuralStyle.Bench/bin/Release/net10.0/NeuralStyle.Bench.dll options [--sizes 256 512]
///        [--rounds 2] [--timed 3] [--threads 2] [--only NAME ...]
/// Options (NAME): channels-last (VGG only: VGG's float32 layout since this measure, against the plain NCHW one),
/// threads-1 (one intra-op thread against --threads),
/// progress (the CLI's console lines and bar for every iteration, against no consumer), primitive-cache (oneDNN's
/// primitive cache off, against its default). The rejected variants (the Gram term fused into one addmm or with a
/// one-product backward, the loss terms read in one copy) were measured by this file at commit fb74a54.
/// Networks: VGG-19's shapes (random weights, cut after relu5_1, the seed's settings) and the bundled ResNet-18 (its
/// loss weights, SWAG smoothing; no picture transforms, which are not engine options). Each round is a fresh pair of
/// runs of <c>--timed</c> + 3 iterations: the first two are warm-up (targets, first-use caches), the last pays the
/// final evaluation; the <c>--timed</c> in between are kept.
/// </remarks>
internal static class EngineOptions
{
    private const string ChildArgument = "--child-cache-run";

    private static readonly string[] AllOptions = ["channels-last", "threads-1", "progress", "primitive-cache"];

    public static int Run(string[] args)
    {
        if (args.Length > 1 && args[1] == ChildArgument)
        {
            return ChildRun(args);
        }

        int threads = 2, rounds = 2, timed = 3;
        var sizes = new List<int>();
        var only = new List<string>();
        for (int a = 1; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--threads": threads = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--timed": timed = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--sizes": sizes.AddRange(Values(args, ref a).Select(v => int.Parse(v, CultureInfo.InvariantCulture))); break;
                case "--only": only.AddRange(Values(args, ref a)); break;
                default: Console.Error.WriteLine($"unknown argument {args[a]}"); return 2;
            }
        }

        if (only.Except(AllOptions).FirstOrDefault() is string unknown)
        {
            Console.Error.WriteLine($"unknown option {unknown} (known: {string.Join(", ", AllOptions)})");
            return 2;
        }

        sizes = sizes.Count == 0 ? [256, 512] : sizes;
        only = only.Count == 0 ? [.. AllOptions] : only;
        RuntimeReport report = TorchRuntime.Initialize(new RuntimeOptions(threads));
        Console.WriteLine($"CPU {report.Cpu.Model}; threads {report.Threads}; LibTorch {report.LibTorch}, oneDNN {report.OneDnn}; {report.Guard.Summary}");
        Console.WriteLine($"{rounds} rounds of {timed} timed iterations per variant, one iteration of each in turn; ratio = median variant / median baseline");
        Console.WriteLine();
        Console.WriteLine("| option | network | size | baseline s/it | variant s/it | variant / baseline |");
        Console.WriteLine("|---|---|---|---|---|---|");

        using VggFeatureNetwork vgg = RandomVgg19.Create("relu5_1");
        using OnnxFeatureNetwork resnet = BundledResNet18.Load();
        var networks = new (string Name, IFeatureNetwork Network, StyleTransferSettings Settings)[]
        {
            ("VGG-19", vgg, new StyleTransferSettings()),
            ("ResNet-18", resnet, new StyleTransferSettings { ContentWeight = 5e4, StyleWeight = 5e8, TvWeight = 5, LearningRate = 2 }),
        };

        foreach (string option in only)
        {
            foreach ((string name, IFeatureNetwork network, StyleTransferSettings settings) in networks)
            {
                if (option == "channels-last" && network is not VggFeatureNetwork)
                {
                    continue;
                }

                foreach (int size in sizes)
                {
                    (List<double> baseline, List<double> variant) = option == "primitive-cache"
                        ? Children(name, size, rounds, timed, threads)
                        : Alternate(option, network, settings, size, rounds, timed, threads);
                    double b = BenchData.Median(baseline), v = BenchData.Median(variant);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {option} | {name} | {size}x{size} | {b:0.000} | {v:0.000} | {v / b:0.000} |"));
                }
            }
        }

        return 0;
    }

    private static IEnumerable<string> Values(string[] args, ref int a)
    {
        var values = new List<string>();
        while (a + 1 < args.Length && !args[a + 1].StartsWith("--", StringComparison.Ordinal))
        {
            values.Add(args[++a]);
        }

        return values;
    }

    // Baseline and variant runs side by side, stepped one iteration each in turn, so that the other work on a shared
    // machine weighs on both alike; a fresh pair of runs per round.
    private static (List<double> Baseline, List<double> Variant) Alternate(string option, IFeatureNetwork network, StyleTransferSettings settings, int size, int rounds, int timed, int threads)
    {
        RgbImage content = BenchData.RandomImage(size, 1), style = BenchData.RandomImage(size, 2);
        settings = settings with { Iterations = timed + 3, InitialNoiseBlend = 1, Seed = 3 };
        var baseline = new List<double>();
        var variant = new List<double>();
        // Channels-last is VGG's default layout: its baseline is the plain (NCHW) layout, on a second copy of the network.
        using VggFeatureNetwork? plain = option == "channels-last" ? RandomVgg19.Create("relu5_1") : null;
        if (plain is not null)
        {
            plain.ChannelsLast = false;
            ((VggFeatureNetwork)network).ChannelsLast = true;
        }

        for (int r = 0; r < rounds; r++)
        {
            using var ours = new Stepper(new StyleTransfer(plain ?? network, settings).Stylize(content, [style]), null, null, null);
            using var theirs = new Stepper(
                new StyleTransfer(network, VariantSettings(option, settings)).Stylize(content, [style]),
                option == "threads-1" ? () => TorchRuntime.Initialize(new RuntimeOptions(1)) : null,
                option == "threads-1" ? () => TorchRuntime.Initialize(new RuntimeOptions(threads)) : null,
                Consumer(option));

            // Step 0 computes the targets and reaches the first iteration; steps 1 and 2 are warm-up; the last
            // iteration (which adds the final evaluation) ends the run and is not timed.
            for (int step = 0; step < timed + 3; step++)
            {
                double a = ours.Next(), b = theirs.Next();
                if (step >= 3)
                {
                    baseline.Add(a);
                    variant.Add(b);
                }
            }
        }

        return (baseline, variant);
    }

    private static StyleTransferSettings VariantSettings(string option, StyleTransferSettings settings) => option switch
    {
        "progress" => settings with { PrintIterations = 1 },
        "channels-last" or "threads-1" => settings,
        _ => throw new ArgumentException($"unknown option {option}"),
    };

    // The CLI's consumer of the engine's events with every iteration printed and the bar drawn (into a null stream:
    // what a terminal spends drawing is not this process's time).
    private static Action<TransferEvent>? Consumer(string option)
    {
        if (option != "progress")
        {
            return null;
        }

        var reporter = new ProgressReporter(new StreamWriter(Stream.Null), interactive: true);
        return reporter.Report;
    }

    /// <summary>Runs a transfer one iteration at a time, timing each step (with a setting switched on around it).</summary>
    private sealed class Stepper(IEnumerable<TransferEvent> events, Action? before, Action? after, Action<TransferEvent>? consumer) : IDisposable
    {
        private readonly IEnumerator<TransferEvent> _events = events.GetEnumerator();

        // Seconds until the next iteration starts (or the run ends).
        public double Next()
        {
            var watch = Stopwatch.StartNew();
            before?.Invoke();
            try
            {
                while (_events.MoveNext())
                {
                    consumer?.Invoke(_events.Current);
                    if (_events.Current is IterationStarted)
                    {
                        break;
                    }
                }

                return watch.Elapsed.TotalSeconds;
            }
            finally
            {
                after?.Invoke();
            }
        }

        public void Dispose() => _events.Dispose();
    }

    // One run of the loop; the times of the iterations after the first two and before the last.
    private static List<double> IterationTimes(IFeatureNetwork network, RgbImage content, RgbImage style, StyleTransferSettings settings, int timed, Action<TransferEvent>? consumer)
    {
        var transfer = new StyleTransfer(network, settings with { Iterations = timed + 3, InitialNoiseBlend = 1, Seed = 3 });
        var starts = new List<TimeSpan>();
        foreach (TransferEvent e in transfer.Stylize(content, [style]))
        {
            consumer?.Invoke(e);
            if (e is IterationStarted s)
            {
                starts.Add(s.Elapsed);
            }
        }

        return [.. Enumerable.Range(2, timed).Select(i => (starts[i + 1] - starts[i]).TotalSeconds)];
    }

    // oneDNN reads ONEDNN_PRIMITIVE_CACHE_CAPACITY once, when LibTorch loads: each variant is its own process,
    // baseline (the default capacity, 1024) and variant (0: no cache) alternating.
    private static (List<double> Baseline, List<double> Variant) Children(string network, int size, int rounds, int timed, int threads)
    {
        var baseline = new List<double>();
        var variant = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            baseline.AddRange(Child(network, size, timed, threads, capacity: null));
            variant.AddRange(Child(network, size, timed, threads, capacity: "0"));
        }

        return (baseline, variant);
    }

    private static List<double> Child(string network, int size, int timed, int threads, string? capacity)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string dll = typeof(EngineOptions).Assembly.Location;
        if (!Path.GetFileNameWithoutExtension(start.FileName).Equals("NeuralStyle.Bench", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(dll);
        }

        foreach (string a in new[] { "options", ChildArgument, network, size.ToString(CultureInfo.InvariantCulture), timed.ToString(CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove("ONEDNN_PRIMITIVE_CACHE_CAPACITY");
        if (capacity is not null)
        {
            start.Environment["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] = capacity;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the child benchmark");
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the child benchmark failed: {stderr}");
        }

        return [.. stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
    }

    // options --child-cache-run NETWORK SIZE TIMED THREADS: prints the timed iterations' seconds on one line.
    private static int ChildRun(string[] args)
    {
        string name = args[2];
        int size = int.Parse(args[3], CultureInfo.InvariantCulture), timed = int.Parse(args[4], CultureInfo.InvariantCulture), threads = int.Parse(args[5], CultureInfo.InvariantCulture);
        TorchRuntime.Initialize(new RuntimeOptions(threads));
        RgbImage content = BenchData.RandomImage(size, 1), style = BenchData.RandomImage(size, 2);
        List<double> times;
        if (name == "VGG-19")
        {
            using VggFeatureNetwork vgg = RandomVgg19.Create("relu5_1");
            times = IterationTimes(vgg, content, style, new StyleTransferSettings(), timed, null);
        }
        else
        {
            using OnnxFeatureNetwork resnet = BundledResNet18.Load();
            times = IterationTimes(resnet, content, style, new StyleTransferSettings { ContentWeight = 5e4, StyleWeight = 5e8, TvWeight = 5, LearningRate = 2 }, timed, null);
        }

        Console.WriteLine(string.Join(' ', times.Select(t => t.ToString("R", CultureInfo.InvariantCulture))));
        return 0;
    }
}
