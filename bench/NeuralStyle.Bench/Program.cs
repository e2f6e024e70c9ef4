using NeuralStyle.Backbones;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuralStyle.Runtime;
using NeuralStyle.Imaging;
using NeuralStyle.Transfer;
using NeuralStyle.Zoo.Vgg;
using TorchSharp;

// Seconds per iteration of the style engine on VGG-19's real shapes (random weights, cut after relu5_1), against the
// same loop in PyTorch (bench/pytorch_reference.py) measured in the same run. Machines are shared and noisy, so the
// figure that matters is the ratio of medians, measured with the two implementations alternating.
//
// usage: dotnet run -c Release --project bench/NeuralStyle.Bench -- [--sizes 256 512] [--iterations 10]
//        [--warmup 2] [--rounds 2] [--threads 2] [--python /usr/bin/python3] [--no-pytorch]
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- compare [--sizes 256 512 1024] [--rounds 3] [--timed 5]
//            [--warmup 2] [--threads 2] [--python /usr/bin/python3] [--curve-iterations 100] [--no-write] [--replot FILE]
//            (issue 14: ours fp32/bf16 against PyTorch fp32/bf16 on VGG-19's shapes and the bundled ResNet-18, side
//            by side; writes BENCHMARKS.md's section, docs/bench/compare.json and the plots; see Comparison/)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- tiling [--only resnet18|vgg19] [--no-write]
//            (issue 15: seconds per iteration and peak memory, untiled and tiled, 512 to 4096 px; see Tiling/)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- web-overhead [--rounds 6] [--iterations 60] [--width 256]
//            (issue 16: seconds per iteration with and without a watched live view, alternating; see LiveViewOverhead.cs)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- mat-memory FILE.mat   (peak memory of reading a .mat)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- vgg-memory FILE.mat   (same, loading VGG to relu5_1)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- weights-load FILE
//            (time and peak memory of reading a .pth, .safetensors, .caffemodel or .mat; see WeightsLoad.cs)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- time-to-loss [--sizes 256 512] [--iterations 300] [--threads 1] [--only NAME --reuse DIR]
//            (wall time of each optimiser and schedule to reach the seed recipe's loss; see TimeToLoss.cs)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- kernels [--threads 2] [--rounds 5] [--starts 7]
//            (the kernel guard's start-up cost and each kernel configuration's speed; see KernelConfigurations.cs)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- precision [--threads 2] [--sizes 256 512] [--rounds 3] [--timed 3]
//            (issue 14: the bf16 engine path against fp32, speed and quality; see ReducedPrecision.cs)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- options [--sizes 256 512] [--rounds 2] [--timed 3] [--only NAME ...]
//            (issue 14, item 2: each candidate engine option against the current code; see EngineOptions.cs)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- zoo [--threads 2] [--rounds 2] [--timed 3] [--models NAME ...]
//            (issue 14: every zoo model's inference throughput at batch 1 and 8 against torchvision; see ZooInference.cs)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- quality [--pairs c:s ...] [--variant NAME "FLAGS" ...]
//            (issue 12's picture-quality measures and contact sheets of the README's main command; see QualityBenchmark.cs)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- measure [the quality options]
//            (the same table and sheets from the results a quality run kept, without running the transfer)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- crop IMAGE X Y WIDTH HEIGHT [--factor 4] [--output PATH]
//            (a nearest-neighbour enlargement of a rectangle, to show a stride grid; see CropEnlargement.cs)
//        dotnet run -c Release --project bench/NeuralStyle.Bench -- sheet --output PATH [--width 256] IMAGE...
//            (pictures side by side at one width: the README's figure; see SheetCommand.cs)
if (args.Length > 0 && args[0] == "web-overhead")
{
    return NeuralStyle.Bench.LiveViewOverhead.Run(args);
}

if (args.Length > 0 && args[0] == "tiling")
{
    return NeuralStyle.Bench.Tiling.TilingBenchmark.Run(args);
}

if (args.Length > 0 && args[0] == "tiling-one")
{
    return NeuralStyle.Bench.Tiling.TilingRun.Run(args);
}

if (args.Length > 0 && args[0] == "compare")
{
    return NeuralStyle.Bench.Comparison.CompareCommand.Run(args);
}

if (args.Length > 0 && args[0] is "quality" or "measure")
{
    return QualityBenchmark.Run(args);
}

if (args.Length > 0 && args[0] == "sheet")
{
    return SheetCommand.Run(args);
}

if (args.Length > 0 && args[0] == "crop")
{
    return CropEnlargement.Run(args);
}

if (args.Length > 0 && args[0] == "zoo")
{
    return ZooInference.Run(args);
}

if (args.Length > 0 && args[0] == "precision")
{
    return ReducedPrecision.Run(args);
}

if (args.Length > 0 && args[0] == "options")
{
    return EngineOptions.Run(args);
}

if (args.Length > 0 && args[0] == "kernels")
{
    return KernelConfigurations.Run(args);
}

if (args.Length > 0 && args[0] == "kernels-startup")
{
    return KernelConfigurations.Startup(args);
}

if (args.Length > 0 && args[0] == "time-to-loss")
{
    return TimeToLoss.Run(args);
}

if (args.Length == 2 && args[0] == "weights-load")
{
    if (!File.Exists(args[1]))
    {
        Console.Error.WriteLine($"{args[1]} does not exist (tools/make_vgg19_shaped_weights.py writes them)");
        return 2;
    }

    return WeightsLoad.Measure(args[1]);
}

if (args.Length == 2 && args[0] is "mat-memory" or "vgg-memory")
{
    if (!File.Exists(args[1]))
    {
        Console.Error.WriteLine($"{args[1]} does not exist (tools/make_vgg19_shaped_mat.py writes one)");
        return 2;
    }

    return MatMemory.Measure(args[1], network: args[0] == "vgg-memory");
}

var sizes = new List<int>();
int iterations = 10, warmup = 2, rounds = 2, threads = 2;
string python = "/usr/bin/python3";
bool withPytorch = true;
for (int a = 0; a < args.Length; a++)
{
    switch (args[a])
    {
        case "--sizes":
            while (a + 1 < args.Length && !args[a + 1].StartsWith("--", StringComparison.Ordinal))
            {
                sizes.Add(int.Parse(args[++a], CultureInfo.InvariantCulture));
            }

            break;
        case "--iterations": iterations = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
        case "--warmup": warmup = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
        case "--threads": threads = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
        case "--python": python = args[++a]; break;
        case "--no-pytorch": withPytorch = false; break;
        default: Console.Error.WriteLine($"unknown argument {args[a]}"); return 2;
    }
}

if (sizes.Count == 0)
{
    sizes = [256, 512];
}

NeuralStyle.Runtime.TorchRuntime.Initialize(new NeuralStyle.Runtime.RuntimeOptions(threads));
string script = Path.Combine(Repository.Root(), "bench", "pytorch_reference.py");
Console.WriteLine($"threads {threads}, {iterations} timed iterations after {warmup} warm-up, {rounds} rounds; TorchSharp {typeof(torch).Assembly.GetName().Version}");
Console.WriteLine("| size | NeuralStyle s/it (median) | PyTorch s/it (median) | ratio PyTorch/NeuralStyle |");
Console.WriteLine("|---|---|---|---|");
foreach (int size in sizes)
{
    var ours = new List<double>();
    var theirs = new List<double>();
    for (int r = 0; r < rounds; r++)
    {
        ours.AddRange(MeasureOurs(size, iterations, warmup));
        if (withPytorch)
        {
            theirs.AddRange(MeasurePytorch(python, script, size, iterations, warmup, threads));
        }
    }

    double mo = BenchData.Median(ours);
    string mt = withPytorch ? BenchData.Median(theirs).ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
    string ratio = withPytorch ? (BenchData.Median(theirs) / mo).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
    Console.WriteLine($"| {size}x{size} | {mo.ToString("0.000", CultureInfo.InvariantCulture)} | {mt} | {ratio} |");
}

return 0;

static List<double> MeasureOurs(int size, int iterations, int warmup)
{
    using VggFeatureNetwork network = RandomVgg19.Create("relu5_1");
    RgbImage content = BenchData.RandomImage(size, 1);
    RgbImage style = BenchData.RandomImage(size, 2);
    var settings = new StyleTransferSettings { Iterations = iterations + warmup, InitialNoiseBlend = 1, Seed = 3 };
    var transfer = new StyleTransfer(network, settings);
    var starts = new List<TimeSpan>();
    TimeSpan end = TimeSpan.Zero;
    foreach (TransferEvent e in transfer.Stylize(content, [style]))
    {
        if (e is IterationStarted s)
        {
            starts.Add(s.Elapsed);
        }
        else if (e is ImageProduced p)
        {
            end = p.Elapsed;
        }
    }

    // Iteration k runs from its start to the next one's; the last one also pays the final evaluation, so it is left out.
    return [.. Enumerable.Range(warmup, iterations - 1).Select(k => (starts[k + 1] - starts[k]).TotalSeconds)];
}

static List<double> MeasurePytorch(string python, string script, int size, int iterations, int warmup, int threads)
{
    var start = new ProcessStartInfo(python)
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        ArgumentList = { script, "--sizes", size.ToString(CultureInfo.InvariantCulture), "--iterations", iterations.ToString(CultureInfo.InvariantCulture), "--warmup", warmup.ToString(CultureInfo.InvariantCulture), "--threads", threads.ToString(CultureInfo.InvariantCulture), "--json" },
    };
    using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {python}");
    string stdout = process.StandardOutput.ReadToEnd();
    string stderr = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{script} failed: {stderr}");
    }

    using JsonDocument doc = JsonDocument.Parse(stdout);
    return ExtractSamples(doc.RootElement, size);
}

static List<double> ExtractSamples(JsonElement root, int size)
{
    // Accepts {"results": [{"size": 256, "samples": [...]}]} or {"256": {"samples": [...]}}.
    IEnumerable<JsonElement> entries = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out JsonElement results)
        ? results.EnumerateArray()
        : root.EnumerateObject().Select(p => p.Value);
    foreach (JsonElement entry in entries)
    {
        if (entry.TryGetProperty("size", out JsonElement s) && s.GetInt32() != size)
        {
            continue;
        }

        return [.. entry.GetProperty("samples").EnumerateArray().Select(x => x.GetDouble())];
    }

    throw new InvalidDataException($"no samples for size {size} in the PyTorch output");
}
