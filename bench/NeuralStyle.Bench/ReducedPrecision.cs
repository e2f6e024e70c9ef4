using NeuralStyle.Jobs;
using System.Globalization;
using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Runtime;
using NeuralStyle.Transfer;

/// <summary>
/// Issue 14, item 1: the bf16 engine path against fp32 on VGG-19's shapes (random weights, cut after relu5_1) and on
/// the bundled ResNet-18 (trained; the ONNX graph's bf16 path, with the backbone's own loss weights, smoothing and
/// picture settings). Speed: seconds per iteration of the loop at each size, fp32 and bf16 alternating round by round
/// in one process, medians of every timed iteration. Quality: the same run in both precisions from the same start,
/// the final loss of each image measured by the fp32 objective, and the PSNR of the bf16 output against the fp32 output.
/// </summary>
/// <remarks>
/// usage: dotnet run -c Release --project bench/NeuralStyle.Bench -- precision [--threads 2] [--sizes 256 512]
///        [--rounds 3] [--timed 3] [--quality-size 256] [--quality-iterations 100] [--networks vgg19 resnet18]
/// Each round runs warm-up iterations (the first pays for the style targets and, in bf16, for the weights' bf16
/// copies) and then <c>--timed</c> iterations per precision. Random weights make a weaker quality test than trained
/// ones: their features are less structured, so the numbers say how far bf16 moves this loop, not how a picture looks.
/// </remarks>
internal static class ReducedPrecision
{
    public static int Run(string[] args)
    {
        int threads = 2, rounds = 3, timed = 3, qualitySize = 256, qualityIterations = 100;
        var sizes = new List<int>();
        var networks = new List<string>();
        for (int a = 1; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--threads": threads = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--timed": timed = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--quality-size": qualitySize = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--quality-iterations": qualityIterations = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--sizes":
                    while (a + 1 < args.Length && !args[a + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        sizes.Add(int.Parse(args[++a], CultureInfo.InvariantCulture));
                    }

                    break;
                case "--networks":
                    while (a + 1 < args.Length && !args[a + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        networks.Add(args[++a]);
                    }

                    break;
                default: Console.Error.WriteLine($"unknown argument {args[a]}"); return 2;
            }
        }

        if (sizes.Count == 0)
        {
            sizes.AddRange([256, 512]);
        }

        RuntimeReport report = TorchRuntime.Initialize(new RuntimeOptions(threads));
        Bf16Decision bf16 = Bf16Guard.Current;
        Console.WriteLine($"CPU {report.Cpu.Model} ({report.Cpu.Signature}; {string.Join(' ', report.Cpu.Extensions)}); threads {report.Threads}; LibTorch {report.LibTorch}, oneDNN {report.OneDnn}; {report.Guard.Summary}");
        Console.WriteLine(bf16.Summary);
        if (!bf16.Usable)
        {
            Console.Error.WriteLine("bf16 is not usable here; nothing to compare");
            return 1;
        }

        if (networks.Count == 0)
        {
            networks.AddRange(["vgg19", "resnet18"]);
        }

        foreach (string name in networks)
        {
            (IFeatureNetwork network, StyleTransferSettings settings, string label) = Open(name);
            try
            {
                Speed(network, label, settings, sizes, rounds, timed);
                Quality(network, label, settings, qualitySize, qualityIterations);
            }
            finally
            {
                (network as IDisposable)?.Dispose();
            }
        }

        return 0;
    }

    // The network and the settings its runs start from: the seed's for VGG-19's shapes, the backbone's own loss
    // weights, smoothing and picture settings for the bundled ResNet-18 (what `--network` with it runs).
    private static (IFeatureNetwork Network, StyleTransferSettings Settings, string Label) Open(string name)
    {
        switch (name)
        {
            case "vgg19":
                return (RandomVgg19.Create("relu5_1"), new StyleTransferSettings(), "VGG-19 shapes (random weights, to relu5_1)");
            case "resnet18":
                OnnxFeatureNetwork resnet = BundledResNet18.Load();
                // What `--network` with it runs: the backbone's weights and picture settings, resolved as a job does.
                StyleTransferSettings settings = PictureChoice.Backbone.ApplyTo(
                    LossWeightChoice.Backbone.ApplyTo(new StyleTransferSettings(), resnet.Defaults.EffectiveWeights),
                    resnet.Defaults.EffectivePicture);
                return (resnet, settings, "bundled ResNet-18 (ONNX graph, its default layers, weights and picture settings)");
            default:
                throw new ArgumentException($"--networks: unknown network '{name}' (vgg19 or resnet18)");
        }
    }

    private static void Speed(IFeatureNetwork network, string label, StyleTransferSettings settings, IReadOnlyList<int> sizes, int rounds, int timed)
    {
        Console.WriteLine();
        Console.WriteLine($"Speed, {label} ({rounds} rounds of {timed} timed iterations per precision, alternating):");
        Console.WriteLine();
        Console.WriteLine("| size | fp32 s/it (median) | bf16 s/it (median) | fp32 / bf16 |");
        Console.WriteLine("|---|---|---|---|");
        foreach (int size in sizes)
        {
            RgbImage content = BenchData.RandomImage(size, 1), style = BenchData.RandomImage(size, 2);
            var times = new Dictionary<ComputePrecision, List<double>> { [ComputePrecision.Float32] = [], [ComputePrecision.BFloat16] = [] };
            for (int r = 0; r < rounds; r++)
            {
                foreach (ComputePrecision precision in new[] { ComputePrecision.Float32, ComputePrecision.BFloat16 })
                {
                    times[precision].AddRange(IterationTimes(network, content, style, settings with { Precision = precision }, timed));
                }
            }

            double fp32 = BenchData.Median(times[ComputePrecision.Float32]), half = BenchData.Median(times[ComputePrecision.BFloat16]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {size}x{size} | {fp32:0.000} | {half:0.000} | {fp32 / half:0.00} |"));
        }
    }

    // One run of the seed's loop; the times of the iterations after the first two (the first computes the targets,
    // the second may still be warming oneDNN's primitive cache) and before the last (which adds the final evaluation).
    private static IEnumerable<double> IterationTimes(IFeatureNetwork network, RgbImage content, RgbImage style, StyleTransferSettings settings, int timed)
    {
        var transfer = new StyleTransfer(network, settings with { Iterations = timed + 3, InitialNoiseBlend = 1, Seed = 3 });
        var starts = new List<TimeSpan>();
        foreach (TransferEvent e in transfer.Stylize(content, [style]))
        {
            if (e is IterationStarted s)
            {
                starts.Add(s.Elapsed);
            }
        }

        return Enumerable.Range(2, timed).Select(i => (starts[i + 1] - starts[i]).TotalSeconds);
    }

    private static void Quality(IFeatureNetwork network, string label, StyleTransferSettings defaults, int size, int iterations)
    {
        string root = Repository.Root();
        RgbImage content = ImageResizer.ResizeToWidth(ImageReader.Read(Path.Combine(root, "examples", "chelsea.png")), size);
        RgbImage style = ImageResizer.ResizeToWidth(ImageReader.Read(Path.Combine(root, "examples", "hubble_deep_field.jpg")), size);
        Console.WriteLine();
        Console.WriteLine($"Quality, {label} (examples/chelsea.png with hubble_deep_field.jpg at width {size}, {iterations} iterations, seed 3; losses of both final images measured by the fp32 objective):");
        Console.WriteLine();
        Console.WriteLine("| start | fp32 final loss | bf16 final loss | bf16 / fp32 | PSNR bf16 vs fp32 |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach ((string start, StyleTransferSettings settings) in new[]
        {
            ($"noise, learning rate {defaults.LearningRate}", defaults with { Iterations = iterations, InitialNoiseBlend = 1, Seed = 3 }),
            ("content image, learning rate 2", defaults with { Iterations = iterations, InitialNoiseBlend = 0, LearningRate = 2, Seed = 3 }),
        })
        {
            RgbImage fp32 = FinalImage(network, content, style, settings with { Precision = ComputePrecision.Float32 });
            RgbImage bf16 = FinalImage(network, content, style, settings with { Precision = ComputePrecision.BFloat16 });
            double loss32 = Fp32Loss(network, content, style, fp32, settings), loss16 = Fp32Loss(network, content, style, bf16, settings);
            double mse = fp32.Pixels.Zip(bf16.Pixels, (a, b) => (double)(a - b) * (a - b)).Average();
            double psnr = 10 * Math.Log10(255.0 * 255.0 / mse);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {start} | {loss32:0.0000e+0} | {loss16:0.0000e+0} | {loss16 / loss32:0.0000} | {psnr:0.0} dB |"));
        }
    }

    private static RgbImage FinalImage(IFeatureNetwork network, RgbImage content, RgbImage style, StyleTransferSettings settings) =>
        new StyleTransfer(network, settings).Stylize(content, [style]).OfType<ImageProduced>().Last(p => p.IsFinal).Image;

    // The loss of an image under the fp32 objective: a one-iteration run that starts from it reports its losses before its step.
    private static double Fp32Loss(IFeatureNetwork network, RgbImage content, RgbImage style, RgbImage image, StyleTransferSettings settings)
    {
        var once = settings with { Iterations = 1, PrintIterations = 1, InitialNoiseBlend = 0, Precision = ComputePrecision.Float32 };
        return new StyleTransfer(network, once).Stylize(content, [style], image).OfType<LossesEvaluated>().First().Losses.Total;
    }
}
