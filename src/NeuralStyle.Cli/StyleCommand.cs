using System.Globalization;
using NeuralStyle.Runtime;
using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Transfer;
using TorchSharp;

namespace NeuralStyle.Cli;

/// <summary>The main job, as neural_style.py: read the images, size them, run the engine, write the images.</summary>
internal static class StyleCommand
{
    public static int Run(StyleOptions options, IReadOnlyList<string> arguments, TextWriter error, bool interactive, string? resumedManifest = null, string? resumeState = null)
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        NetworkResolution network = NetworkResolution.Resolve(options.Network, options.NetworkWeights);
        IReadOnlyList<string> planned = PlannedImages(options);
        string manifestPath = ManifestRecorder.PathFor(options.Output);
        if (!options.Overwrite && planned.Append(manifestPath).Append(ManifestRecorder.StatePathFor(manifestPath)).FirstOrDefault(File.Exists) is string existing)
        {
            throw new UsageException($"{existing} already exists (use --overwrite to replace it)");
        }

        // Fail before a long run, not at its end: unknown extension, missing directory.
        foreach (string path in planned)
        {
            try
            {
                ImageWriter.EnsureWritable(path, overwrite: true);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
        }

        TorchRuntime.EnsureInitialized(new RuntimeOptions(options.Threads));

        if (options.Settings.Seed is long seed)
        {
            torch.manual_seed(seed);
        }

        RgbImage content = SeedImageSizing.Content(ImageReader.Read(options.Content), options.Width);
        List<RgbImage> styles = [];
        for (int i = 0; i < options.Styles.Count; i++)
        {
            double scale = options.StyleScales?[i] ?? 1.0;
            styles.Add(SeedImageSizing.Style(ImageReader.Read(options.Styles[i]), content, scale));
        }

        RgbImage? initial = options.Initial is null ? null : SeedImageSizing.Initial(ImageReader.Read(options.Initial), content);
        RgbImage original = content;
        if (options.ColorTransfer is ColorTransferMethod method)
        {
            styles = [.. styles.Select(style => ColorTransfer.MatchStyleToContent(style, content, method))];
        }

        if (options.LuminanceOnly)
        {
            // The network sees grey images: the content's luminance, each style's luminance matched to it.
            RgbImage contentLuma = LuminanceTransfer.Luminance(content);
            styles = [.. styles.Select(style => LuminanceTransfer.MatchLuminance(LuminanceTransfer.Luminance(style), contentLuma))];
            initial = initial is null ? null : LuminanceTransfer.Luminance(initial);
            content = contentLuma;
        }

        using BackboneHandle backbone = OpenNetwork(network, options);
        error.WriteLine($"Network: {backbone.Network.Description()} from {network.Path} ({network.Source})");
        StyleTransferSettings settings = options.Weights.ApplyTo(options.Settings, backbone.Network.Defaults.EffectiveWeights);
        CheckMemory(backbone.Network, network.Path, settings, content, options.MaxMemoryMiB, error);
        var reporter = new ProgressReporter(error, interactive);
        int minSize = options.MinSize ?? StyleRecipe.MinSizeFor(content.Width, content.Height);
        var manifest = new ManifestRecorder(ManifestRecorder.PathFor(options.Output), new RunManifest
        {
            ToolVersion = ManifestRecorder.Version(typeof(StyleCommand).Assembly),
            Arguments = arguments,
            Started = started,
            Completed = false,
            Options = new { options.Content, options.Styles, options.Output, options.CheckpointOutput, options.Width, options.StyleScales, options.Initial, options.PreserveColors, ColorTransfer = options.ColorTransfer?.ToString().ToLowerInvariant() ?? "none", options.LuminanceOnly, options.Scales, MinSize = minSize, options.CoarseIterations, Pooling = options.Pooling.ToString().ToLowerInvariant(), options.Overwrite, Threads = TorchSharp.torch.get_num_threads(), Settings = Describe(settings, backbone.Network) },
            Network = ManifestRecorder.DescribeNetwork(network.Path, network.Source, backbone.Network.Description()),
            Libraries = ManifestRecorder.Libraries(),
            Kernels = RunManifest.KernelsRecord.From(TorchRuntime.EnsureInitialized()),
            ResumedFrom = resumedManifest is null ? null : Path.GetFullPath(resumedManifest),
        });
        using TransferState? resume = resumeState is null ? null : TransferStateFile.Read(resumeState);
        IReadOnlyList<ScaleStep> plan = MultiScaleSchedule.Plan(content.Width, content.Height, options.Scales, minSize, settings.Iterations, options.CoarseIterations);
        try
        {
            // A resumed run's state belongs to the final scale, so the coarser ones are not run again.
            for (int k = resume is null ? 0 : plan.Count - 1; k < plan.Count - 1; k++)
            {
                initial = RunCoarseScale(backbone.Network, settings, plan, k, content, styles, initial, reporter, error);
            }

            if (plan.Count > 1)
            {
                error.WriteLine($"Scale {plan.Count}/{plan.Count}: {content.Width}x{content.Height}, {settings.Iterations} iterations");
            }

            var transfer = new StyleTransfer(backbone.Network, plan.Count > 1 && resume is null ? settings with { InitialNoiseBlend = 0 } : settings);
            foreach (TransferEvent e in transfer.Stylize(content, styles, initial, resume, captureState: true))
            {
                reporter.Report(e);
                string? written = null;
                if (e is ImageProduced produced && OutputFor(options, produced) is string path)
                {
                    RgbImage image = options.LuminanceOnly ? LuminanceTransfer.Recombine(produced.Image, original)
                        : options.PreserveColors ? ColorTransforms.PreserveContentColors(produced.Image, original)
                        : produced.Image;
                    ImageWriter.Write(image, path, overwrite: options.Overwrite);
                    written = path;
                }

                manifest.Record(e, written);
                (e as ImageProduced)?.State?.Dispose();
            }
        }
        finally
        {
            reporter.Finish();
        }

        return 0;
    }

    // One coarse scale: content and styles shrunk by the same factor, started from the previous scale's result (or the
    // initial image / noise), printing the seed's lines but writing no files; returns its result at the next size.
    private static RgbImage RunCoarseScale(IFeatureNetwork network, StyleTransferSettings settings, IReadOnlyList<ScaleStep> plan, int k, RgbImage content, IReadOnlyList<RgbImage> styles, RgbImage? start, ProgressReporter reporter, TextWriter error)
    {
        ScaleStep step = plan[k];
        double factor = (double)step.Width / content.Width;
        error.WriteLine($"Scale {k + 1}/{plan.Count}: {step.Width}x{step.Height}, {step.Iterations} iterations");
        RgbImage scaledContent = ImageResizer.Resize(content, step.Width, step.Height);
        RgbImage[] scaledStyles = [.. styles.Select(s => ImageResizer.Resize(s, Math.Max(1, (int)Math.Round(s.Width * factor)), Math.Max(1, (int)Math.Round(s.Height * factor))))];
        RgbImage? scaledStart = start is null ? null : ImageResizer.Resize(start, step.Width, step.Height);
        StyleTransferSettings scaleSettings = settings with
        {
            Iterations = step.Iterations,
            CheckpointIterations = null,
            InitialNoiseBlend = k == 0 ? settings.InitialNoiseBlend : 0,
        };
        RgbImage? result = null;
        foreach (TransferEvent e in new StyleTransfer(network, scaleSettings).Stylize(scaledContent, scaledStyles, scaledStart))
        {
            reporter.Report(e);
            if (e is ImageProduced { IsFinal: true } produced)
            {
                result = produced.Image;
            }
        }

        ScaleStep next = plan[k + 1];
        return ImageResizer.Resize(result!, next.Width, next.Height);
    }

    // Refuses, before the first iteration, a run whose estimated peak exceeds what the machine has free.
    private static void CheckMemory(IFeatureNetwork network, string path, StyleTransferSettings settings, RgbImage content, int? limitMiB, TextWriter error)
    {
        long weights = network.WeightBytes(path);
        long estimate = MemoryEstimator.EstimateBytes(network, settings.LayersInUse(network.Defaults), content.Width, content.Height, weights, settings.OptimizerImageCopies);
        long? available = limitMiB is int limit ? (long)limit << 20 : MemoryEstimator.AvailableBytes();
        string what = limitMiB is null ? "available" : "allowed by --max-memory";
        error.WriteLine($"Memory: estimated peak {estimate >> 20} MiB" + (available is long a ? $" of {a >> 20} MiB {what}" : ""));
        if (available is long free && estimate > free)
        {
            throw new InsufficientMemoryException(
                $"a {content.Width}x{content.Height} run needs about {estimate >> 20} MiB but only {free >> 20} MiB are {what}; use a smaller --width" + (settings.Optimizer == OptimizerKind.Lbfgs ? " or fewer L-BFGS pairs (--lbfgs-history)" : ""));
        }
    }

    // Every setting as resolved, layers and smoothing included, so the manifest alone can reproduce the run.
    private static object Describe(StyleTransferSettings settings, IFeatureNetwork network) => new
    {
        settings.Iterations,
        settings.ContentWeight,
        settings.ContentWeightBlend,
        settings.StyleWeight,
        settings.StyleLayerWeightExp,
        StyleBlendWeights = settings.StyleBlendWeights,
        settings.TvWeight,
        settings.LearningRate,
        settings.Beta1,
        settings.Beta2,
        settings.Epsilon,
        Optimizer = settings.Optimizer.ToString().ToLowerInvariant(),
        settings.LbfgsHistory,
        settings.LbfgsStrongWolfe,
        settings.AverageDecay,
        settings.PrintIterations,
        settings.CheckpointIterations,
        settings.InitialNoiseBlend,
        settings.Seed,
        ContentLayers = settings.ContentLayerWeights(network.Defaults),
        StyleLayers = settings.StyleLayerWeights(network.Defaults),
        Smoothing = (settings.Smoothing ?? network.Defaults.Smoothing).ToString().ToLowerInvariant(),
        StyleLoss = settings.StyleLoss.ToString().ToLowerInvariant(),
    };

    // Only the layer choice matters when opening; the weights are applied once the backbone's defaults are known.
    private static BackboneHandle OpenNetwork(NetworkResolution network, StyleOptions options) =>
        new(network.Open(options.Pooling, options.Settings));

    private static string? OutputFor(StyleOptions options, ImageProduced produced) =>
        produced.CheckpointIteration is int i ? CheckpointName(options, i) : options.Output;

    // The seed's `checkpoint_output % iteration`, with the 0-based iteration.
    private static string? CheckpointName(StyleOptions options, int iteration) =>
        options.CheckpointOutput?.Replace("%s", iteration.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static IReadOnlyList<string> PlannedImages(StyleOptions options)
    {
        var files = new List<string> { options.Output };
        if (options.CheckpointOutput is not null && options.Settings.CheckpointIterations is int every)
        {
            for (int i = 0; i < options.Settings.Iterations - 1; i += every)
            {
                files.Add(CheckpointName(options, i)!);
            }
        }

        return files;
    }
}
