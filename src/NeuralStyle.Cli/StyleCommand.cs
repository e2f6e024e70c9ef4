using NeuralStyle.Imaging;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.MatConvNet;
using NeuralStyle.Zoo.Vgg;
using TorchSharp;

namespace NeuralStyle.Cli;

/// <summary>The main job, as neural_style.py: read the images, size them, run the engine, write the images.</summary>
internal static class StyleCommand
{
    public static int Run(StyleOptions options, TextWriter error, bool interactive)
    {
        if (!File.Exists(options.Network))
        {
            throw new UsageException($"Network {options.Network} does not exist. (Did you forget to download it?)");
        }

        IReadOnlyList<string> planned = PlannedOutputs(options);
        if (!options.Overwrite && planned.FirstOrDefault(File.Exists) is string existing)
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

        if (options.Threads is int threads)
        {
            torch.set_num_threads(threads);
        }

        if (options.Settings.Seed is long seed)
        {
            torch.manual_seed(seed);
        }

        RgbImage content = SeedImageSizing.Content(ImageReader.Read(options.Content), options.Width);
        var styles = new List<RgbImage>();
        for (int i = 0; i < options.Styles.Count; i++)
        {
            double scale = options.StyleScales?[i] ?? 1.0;
            styles.Add(SeedImageSizing.Style(ImageReader.Read(options.Styles[i]), content, scale));
        }

        RgbImage? initial = options.Initial is null ? null : SeedImageSizing.Initial(ImageReader.Read(options.Initial), content);

        using VggFeatureNetwork network = LoadNetwork(options);
        var transfer = new StyleTransfer(network, options.Settings);
        var reporter = new ProgressReporter(error, interactive);
        try
        {
            foreach (TransferEvent e in transfer.Stylize(content, styles, initial))
            {
                reporter.Report(e);
                if (e is ImageProduced produced && OutputFor(options, produced) is string path)
                {
                    RgbImage image = options.PreserveColors
                        ? ColorTransforms.PreserveContentColors(produced.Image, content)
                        : produced.Image;
                    ImageWriter.Write(image, path, overwrite: options.Overwrite);
                }
            }
        }
        finally
        {
            reporter.Finish();
        }

        return 0;
    }

    private static VggFeatureNetwork LoadNetwork(StyleOptions options)
    {
        // Cut the network after the deepest layer the losses read: relu5_1 with the seed's defaults.
        string deepest = Deepest(options.Settings);
        return MatConvNetVgg.Load(options.Network, options.Pooling, deepest);
    }

    private static string Deepest(StyleTransferSettings settings)
    {
        return settings.LayersInUse(BackboneDefaults.Vgg).MaxBy(l => Vgg19Layout.LayerNames.ToList().IndexOf(l))!;
    }

    private static string? OutputFor(StyleOptions options, ImageProduced produced) =>
        produced.CheckpointIteration is int i
            ? options.CheckpointOutput?.Replace("%s", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            : options.Output;

    private static IReadOnlyList<string> PlannedOutputs(StyleOptions options)
    {
        var files = new List<string> { options.Output };
        if (options.CheckpointOutput is not null && options.Settings.CheckpointIterations is int every)
        {
            for (int i = 0; i < options.Settings.Iterations - 1; i += every)
            {
                files.Add(options.CheckpointOutput.Replace("%s", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            }
        }

        return files;
    }
}
