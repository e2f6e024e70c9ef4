using System.Diagnostics;
using System.Globalization;
using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Runtime;
using NeuralStyle.Transfer;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.Vgg;
using static TorchSharp.torch;

/// <summary>
/// What the kernel guard costs at start-up, and how fast each configuration it can choose runs (the style loop and
/// zoo inference), measured in the same process with the configurations alternating, medians of rounds.
/// </summary>
/// <remarks>
/// usage: dotnet run -c Release --project bench/NeuralStyle.Bench -- kernels [--threads 2] [--rounds 5] [--starts 7]
/// The start-up cost comes from fresh processes of this program (<c>kernels-startup</c>): the first call pays for
/// loading LibTorch, oneDNN's code generation and the float64 references, as a user's first run does.
/// </remarks>
internal static class KernelConfigurations
{
    public static int Run(string[] args)
    {
        int threads = 2, rounds = 5, starts = 7;
        for (int a = 1; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--threads": threads = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--starts": starts = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown argument {args[a]}"); return 2;
            }
        }

        RuntimeReport report = TorchRuntime.Initialize(new RuntimeOptions(threads));
        Console.WriteLine($"CPU {report.Cpu.Model} ({report.Cpu.Signature}); threads {report.Threads}; oneDNN {report.OneDnn}; guard chose {report.Guard.ConfigurationName}");
        StartupCost(threads, starts);

        Console.WriteLine();
        Console.WriteLine($"| workload | oneDNN on (median) | oneDNN off (median) | off / on |");
        Console.WriteLine("|---|---|---|---|");
        using (OnnxFeatureNetwork resnet = BundledResNet18.Load())
        {
            var defaults = new StyleTransferSettings { ContentWeight = 2e4, StyleWeight = 5e8, TvWeight = 5, LearningRate = 2 };
            Compare("style loop, bundled ResNet-18 (the default), 512x512, s/iteration", rounds, StyleIteration(resnet, 512, defaults));
        }

        using (VggFeatureNetwork vgg = RandomVgg19.Create("relu5_1"))
        {
            Compare("style loop, VGG-19 to relu5_1, 256x256, s/iteration", rounds, StyleIteration(vgg, 256, new StyleTransferSettings()));
            Compare("style loop, VGG-19 to relu5_1, 512x512, s/iteration", Math.Max(2, rounds / 2), StyleIteration(vgg, 512, new StyleTransferSettings()));
        }

        foreach ((string model, int batch) in new[] { ("resnet18", 1), ("resnet18", 8), ("googlenet", 2), ("vgg16", 2) })
        {
            Compare($"{model} inference, batch {batch} at 224x224, s/pass", rounds, Inference(model, batch));
        }

        KernelGuard.Apply(report.Guard.Configuration);
        return 0;
    }

    /// <summary>The child process: initialise and print the guard's own timing and the whole initialisation's.</summary>
    public static int Startup(string[] args)
    {
        int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var clock = Stopwatch.StartNew();
        RuntimeReport report = TorchRuntime.Initialize(new RuntimeOptions(threads));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.Guard.Milliseconds:0.0} {clock.Elapsed.TotalMilliseconds:0.0}"));
        return 0;
    }

    private static void StartupCost(int threads, int starts)
    {
        var guard = new List<double>();
        var total = new List<double>();
        for (int i = 0; i < starts; i++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(typeof(KernelConfigurations).Assembly.Location);
            start.ArgumentList.Add("kernels-startup");
            start.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture));
            using Process process = Process.Start(start)!;
            string[] figures = process.StandardOutput.ReadToEnd().Trim().Split(' ');
            process.WaitForExit();
            guard.Add(double.Parse(figures[0], CultureInfo.InvariantCulture));
            total.Add(double.Parse(figures[1], CultureInfo.InvariantCulture));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"start-up over {starts} fresh processes: guard {BenchData.Median(guard):0} ms (min {guard.Min():0}, max {guard.Max():0}); LibTorch initialisation including the guard {BenchData.Median(total):0} ms"));
    }

    // Alternates the configurations round by round so that a drift in the machine's speed hits both alike.
    private static void Compare(string label, int rounds, Func<double> measure)
    {
        var on = new List<double>();
        var off = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            KernelGuard.Apply(KernelConfiguration.OneDnn);
            on.Add(measure());
            KernelGuard.Apply(KernelConfiguration.NoOneDnn);
            off.Add(measure());
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {BenchData.Median(on):0.000} | {BenchData.Median(off):0.000} | {BenchData.Median(off) / BenchData.Median(on):0.00} |"));
    }

    private static Func<double> StyleIteration(IFeatureNetwork network, int size, StyleTransferSettings settings)
    {
        RgbImage content = BenchData.RandomImage(size, 1), style = BenchData.RandomImage(size, 2);
        return () =>
        {
            var transfer = new StyleTransfer(network, settings with { Iterations = 4, InitialNoiseBlend = 1, Seed = 3 });
            var starts = new List<TimeSpan>();
            foreach (TransferEvent e in transfer.Stylize(content, [style]))
            {
                if (e is IterationStarted s)
                {
                    starts.Add(s.Elapsed);
                }
            }

            // Iterations 2 and 3 (the first pays for the targets, the last for the final evaluation).
            return (starts[3] - starts[1]).TotalSeconds / 2;
        };
    }

    private static Func<double> Inference(string model, int batch)
    {
        ZooModel zoo = ModelZoo.Create(model, new ZooOptions(Seed: 1));
        Tensor input = randn([batch, 3, 224, 224], generator: new Generator(5));
        return () =>
        {
            using var noGrad = no_grad();
            using (zoo.call(input))
            {
            }

            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 3; i++)
            {
                using Tensor output = zoo.call(input);
            }

            return clock.Elapsed.TotalSeconds / 3;
        };
    }
}
