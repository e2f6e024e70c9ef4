using System.Globalization;
using System.Text.Json;
using NeuralStyle.Imaging;
using NeuralStyle.Runtime;
using NeuralStyle.Transfer;

namespace NeuralStyle.Bench.Comparison;

/// <summary>
/// Issue 14, items 3 and 5 for the style loop: every comparison side by side in one command. For each network (VGG-19's
/// shapes, the bundled ResNet-18) and size, seconds per iteration of ours fp32, PyTorch fp32, ours bf16 and PyTorch
/// bf16 (autocast), alternating in that order round after round; then, from the same start, the loss against wall
/// time of each configuration. Writes its section of BENCHMARKS.md, the raw samples as JSON and the plots.
/// </summary>
/// <remarks>
/// usage: dotnet bench/NeuralStyle.Bench/bin/Release/net10.0/NeuralStyle.Bench.dll compare [--sizes 256 512 1024]
///        [--rounds 3] [--timed 5] [--warmup 2] [--threads 2] [--python /usr/bin/python3] [--curve-iterations 100]
///        [--no-write] [--replot docs/bench/compare.json]
/// Each run of a configuration does --warmup iterations (the first computes nothing more than the others, but oneDNN
/// builds its kernels and bf16 makes its weight copies), then --timed timed ones; the medians are over every timed
/// iteration of every round. PyTorch runs in one worker process per network (bench/pytorch_style_loop.py).
/// </remarks>
internal static class CompareCommand
{
    public const string BenchmarksBegin = "<!-- compare:begin -->";
    public const string BenchmarksEnd = "<!-- compare:end -->";

    public static int Run(string[] args)
    {
        CompareOptions? options = CompareOptions.Parse(args);
        if (options is null)
        {
            return 2;
        }

        string root = Repository.Root();
        string outputDirectory = Path.Combine(root, options.OutputDirectory);
        ComparisonResult result;
        if (options.Replot is not null)
        {
            if (!File.Exists(options.Replot))
            {
                Console.Error.WriteLine($"compare: --replot {options.Replot} does not exist");
                return 2;
            }

            result = JsonSerializer.Deserialize<ComparisonResult>(File.ReadAllText(options.Replot), JsonOptions)
                ?? throw new InvalidDataException($"{options.Replot} holds no comparison");
        }
        else
        {
            try
            {
                result = Measure(options, root, string.Join(' ', ["dotnet bench/NeuralStyle.Bench/bin/Release/net10.0/NeuralStyle.Bench.dll", .. args]));
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException or JsonException or System.ComponentModel.Win32Exception)
            {
                Console.Error.WriteLine($"compare: error: {e.Message}");
                return 1;
            }
        }

        string relativeDirectory = Path.GetRelativePath(root, outputDirectory);
        string section = ComparisonMarkdown.Section(result, relativeDirectory);
        Console.WriteLine();
        Console.WriteLine(section);
        if (options.NoWrite)
        {
            return 0;
        }

        Directory.CreateDirectory(outputDirectory);
        if (options.Replot is null)
        {
            File.WriteAllText(Path.Combine(outputDirectory, "compare.json"), JsonSerializer.Serialize(result, JsonOptions));
        }

        ComparisonPlots.Write(result, outputDirectory);
        ComparisonMarkdown.WriteInto(Path.Combine(root, "BENCHMARKS.md"), section);
        Console.WriteLine($"wrote {relativeDirectory}/compare.json, the plots in {relativeDirectory} and BENCHMARKS.md's section");
        return 0;
    }

    private static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true };

    private static ComparisonResult Measure(CompareOptions options, string root, string command)
    {
        string loadBefore = LoadAverage();
        RuntimeReport report = TorchRuntime.Initialize(new RuntimeOptions(options.Threads));
        string bf16 = Bf16Guard.Current.Summary;
        string[] relevant = ["avx512f", "avx512_vnni", "avx512_bf16", "avx512_fp16"];
        var flags = report.Cpu.Extensions.Where(e => relevant.Contains(e) || e.StartsWith("amx", StringComparison.Ordinal)).ToList();
        Console.WriteLine($"CPU {report.Cpu.Model} ({report.Cpu.Signature}; {string.Join(' ', flags)}); threads {report.Threads}; TorchSharp {report.TorchSharp}, LibTorch {report.LibTorch}");
        Console.WriteLine(bf16);

        string script = Path.Combine(root, "bench", "pytorch_style_loop.py");
        string work = Directory.CreateTempSubdirectory("neuralstyle-compare-").FullName;
        PytorchDescription? pytorch = null;
        var networks = new List<NetworkResult>();
        try
        {
            foreach (string key in options.Networks)
            {
                using ComparedNetwork network = ComparedNetwork.Create(key, work);
                using PytorchWorker worker = PytorchWorker.Start(options.Python, script, network.WorkerArguments, options.Threads);
                pytorch ??= Describe(worker.Hello);
                Console.WriteLine();
                Console.WriteLine($"{network.Title}: {network.Loop}");
                networks.Add(MeasureNetwork(network, worker, options, root, work));
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        var machine = new MachineDescription(report.Cpu.Model, report.Cpu.Signature, flags, report.Cpu.Cores, report.Threads, report.TorchSharp, report.LibTorch, report.OneDnn, bf16, loadBefore, LoadAverage());
        var settings = new CompareSettings(options.Sizes, options.Rounds, options.Timed, options.Warmup, options.Threads, options.CurveIterations, options.CurveWidth);
        return new ComparisonResult(command, DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), machine, pytorch!, settings, networks);
    }

    private static NetworkResult MeasureNetwork(ComparedNetwork network, PytorchWorker worker, CompareOptions options, string root, string work)
    {
        var sizes = new List<SizeResult>();
        var checks = new List<LossCheck>();
        foreach (int size in options.Sizes)
        {
            RgbImage content = BenchData.RandomImage(size, 1), style = BenchData.RandomImage(size, 2);
            ImageFile contentFile = ImageFile.Write(content, Path.Combine(work, "content.f32")), styleFile = ImageFile.Write(style, Path.Combine(work, "style.f32"));
            var samples = Configurations.All.ToDictionary(c => c, _ => new List<double>());
            var refusals = new Dictionary<string, string>();
            double? oursFirst = null, theirsFirst = null;
            for (int r = 0; r < options.Rounds; r++)
            {
                foreach (string configuration in Configurations.All.Where(c => !refusals.ContainsKey(c)))
                {
                    bool bf16 = Configurations.IsBf16(configuration);
                    (List<double> seconds, List<double> losses, string? refusal) = Configurations.IsOurs(configuration)
                        ? OursLoop.Run(network, content, style, bf16 ? ComputePrecision.BFloat16 : ComputePrecision.Float32, options.Warmup + options.Timed, everyLoss: false)
                        : Failed(worker.Run(contentFile, styleFile, bf16, options.Warmup + options.Timed));
                    if (refusal is not null)
                    {
                        refusals[configuration] = refusal;
                        Console.WriteLine($"  {size}x{size} {configuration}: n/a ({refusal})");
                        continue;
                    }

                    samples[configuration].AddRange(seconds.Skip(options.Warmup));
                    if (configuration == Configurations.OursFp32)
                    {
                        oursFirst ??= losses[0];
                    }
                    else if (configuration == Configurations.PytorchFp32)
                    {
                        theirsFirst ??= losses[0];
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {size}x{size} round {r + 1} {configuration}: median {BenchData.Median(seconds.Skip(options.Warmup)):0.000} s/it"));
                }
            }

            if (oursFirst is double o && theirsFirst is double t)
            {
                checks.Add(Check($"{size}x{size} random images", o, t));
            }

            sizes.Add(new SizeResult(size, [.. Configurations.All.Select(c => new ConfigurationSamples(c, samples[c], refusals.GetValueOrDefault(c)))]));
        }

        List<LossCurve> curves = options.CurveIterations > 0 ? Curves(network, worker, options, root, work, checks) : [];
        return new NetworkResult(network.Key, network.Title, network.Loop, sizes, curves, checks);
    }

    // Loss against wall time from the same start (the content image), the four configurations alternating.
    private static List<LossCurve> Curves(ComparedNetwork network, PytorchWorker worker, CompareOptions options, string root, string work, List<LossCheck> checks)
    {
        RgbImage content = ImageResizer.ResizeToWidth(ImageReader.Read(Path.Combine(root, "examples", "chelsea.png")), options.CurveWidth);
        RgbImage style = ImageResizer.ResizeToWidth(ImageReader.Read(Path.Combine(root, "examples", "brick.png")), options.CurveWidth);
        ImageFile contentFile = ImageFile.Write(content, Path.Combine(work, "curve-content.f32")), styleFile = ImageFile.Write(style, Path.Combine(work, "curve-style.f32"));
        var curves = new List<LossCurve>();
        foreach (string configuration in Configurations.All)
        {
            bool bf16 = Configurations.IsBf16(configuration);
            (List<double> seconds, List<double> losses, string? refusal) = Configurations.IsOurs(configuration)
                ? OursLoop.Run(network, content, style, bf16 ? ComputePrecision.BFloat16 : ComputePrecision.Float32, options.CurveIterations, everyLoss: true)
                : Failed(worker.Run(contentFile, styleFile, bf16, options.CurveIterations));
            // The loss of iterate k is known when iteration k starts: the curve's time is the sum of the iterations before it.
            var elapsed = new List<double>();
            double sum = 0;
            foreach (double s in seconds)
            {
                elapsed.Add(sum);
                sum += s;
            }

            curves.Add(new LossCurve(configuration, elapsed, losses, refusal));
            string line = refusal is null
                ? string.Create(CultureInfo.InvariantCulture, $"loss {losses[0]:0.000e+0} -> {losses[^1]:0.000e+0} in {sum:0.0} s")
                : $"n/a ({refusal})";
            Console.WriteLine($"  curve {content.Width}x{content.Height} {configuration}: {line}");
        }

        LossCurve ours = curves.Single(c => c.Name == Configurations.OursFp32), theirs = curves.Single(c => c.Name == Configurations.PytorchFp32);
        if (ours.Losses.Count > 0 && theirs.Losses.Count > 0)
        {
            checks.Add(Check($"examples/chelsea.png + brick.png at {content.Width}x{content.Height}", ours.Losses[0], theirs.Losses[0]));
        }

        return curves;
    }

    private static (List<double> Seconds, List<double> Losses, string? Refusal) Failed((List<double> Seconds, List<double> Losses, string? Error) run) =>
        (run.Seconds, run.Losses, run.Error is null ? null : "failed: " + run.Error);

    private static LossCheck Check(string where, double ours, double pytorch)
    {
        var check = new LossCheck(where, ours, pytorch);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  first-iteration loss, {where}: ours {ours:0.000000e+0}, PyTorch {pytorch:0.000000e+0}, relative difference {check.Relative:0.0e+0}{(check.Relative > 1e-3 ? "  ** MORE THAN 1e-3: NOT THE SAME WORK? **" : "")}"));
        return check;
    }

    private static PytorchDescription Describe(JsonElement hello)
    {
        JsonElement blas = hello.GetProperty("blas");
        JsonElement probe = hello.GetProperty("bf16_autocast");
        string autocast = probe.GetProperty("works").GetBoolean()
            ? $"works: a convolution under torch.autocast('cpu', dtype=torch.bfloat16) gives {probe.GetProperty("conv_output").GetString()}, max pooling {probe.GetProperty("pool_output").GetString()}, the input's gradient {probe.GetProperty("grad").GetString()}"
            : $"fails: {probe.GetProperty("error").GetString()}";
        var description = new PytorchDescription(
            hello.GetProperty("torch").GetString() ?? "?",
            hello.GetProperty("python").GetString() ?? "?",
            blas.GetProperty("build").GetString() ?? "?",
            blas.GetProperty("alternative").GetString(),
            [.. blas.GetProperty("loaded").EnumerateArray().Select(e => e.GetString() ?? "")],
            blas.GetProperty("openblas").GetBoolean(),
            blas.GetProperty("reference_blas").GetBoolean(),
            autocast);
        Console.WriteLine($"PyTorch {description.Torch} (Python {description.Python}); {description.BlasBuild}; libblas.so.3 -> {description.BlasAlternative}; loaded: {string.Join(", ", description.BlasLoaded)}");
        Console.WriteLine($"bf16 autocast {autocast}");
        if (!description.OpenBlas)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine("*** WARNING: PyTorch is NOT using OpenBLAS" + (description.ReferenceBlas ? " but the unoptimised reference BLAS" : "") + ": its Gram matrices will be several times slower and the comparison will flatter us.");
            Console.Error.WriteLine("*** Install libopenblas0-pthread (apt-get install libopenblas0-pthread) or point libblas.so.3-x86_64-linux-gnu at OpenBLAS with update-alternatives.");
            Console.Error.WriteLine();
        }

        return description;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
