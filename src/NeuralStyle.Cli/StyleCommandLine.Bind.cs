using System.CommandLine;
using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Losses;

namespace NeuralStyle.Cli;

/// <summary>From parsed flags to a <see cref="StyleJobSpec"/>: a new one, or a recorded run's with the flags given now replacing its values.</summary>
internal sealed partial class StyleCommandLine
{
    /// <summary>The --threads given, or null.</summary>
    public int? Threads(ParseResult result) => result.GetValue(_threads);

    /// <summary>Where --web asks the live view to listen, or null without it.</summary>
    /// <exception cref="UsageException">The value is not [HOST:]PORT.</exception>
    public Web.WebEndpoint? WebEndpoint(ParseResult result)
    {
        if (result.GetValue(_web) is not string text)
        {
            return null;
        }

        try
        {
            return Web.WebEndpoint.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--web: {e.Message}");
        }
    }

    /// <summary>True when --download was given.</summary>
    public bool Download(ParseResult result) => result.GetValue(_download);

    /// <summary>
    /// Reads the parsed values and applies the seed's checks that need no file system. With <paramref name="resumed"/>
    /// (a recorded run), only the flags given now replace its values, and files are overwritten (they are the run's own).
    /// </summary>
    public StyleJobSpec Bind(ParseResult result, StyleJobSpec? resumed = null)
    {
        T Pick<T>(Option<T> option, Func<StyleJobSpec, T> recorded) =>
            resumed is null || result.GetResult(option) is { Implicit: false } ? result.GetValue(option)! : recorded(resumed);
        StyleTransferSettings? was = resumed?.Settings;

        IReadOnlyList<string> styles = Pick(_styles, r => [.. r.Styles]) ?? [];
        double[]? scales = StyleFlagValues.NullIfEmpty(Pick(_styleScales, r => r.StyleScales?.ToArray() ?? []));
        double[]? blends = StyleFlagValues.NullIfEmpty(Pick(_styleBlendWeights, r => r.Settings.StyleBlendWeights?.ToArray() ?? []));
        StyleFlagValues.CheckLists(styles.Count, scales, blends);

        string? checkpointOutput = Pick(_checkpointOutput, r => r.CheckpointOutput);
        if (checkpointOutput is not null && !checkpointOutput.Contains("%s", StringComparison.Ordinal))
        {
            throw new UsageException("To save intermediate images, the checkpoint output parameter must contain `%s` (e.g. `foo%s.jpg`)");
        }

        // The seed ignores the name without a frequency (it yields no checkpoint); here that is a mistake worth a line.
        if (checkpointOutput is not null && Pick(_checkpointIterations, r => r.Settings.CheckpointIterations) is null)
        {
            throw new UsageException($"--checkpoint-output {checkpointOutput} needs --checkpoint-iterations N (how often to write a checkpoint); without it none is written");
        }

        ColorTransferMethod? colorTransfer = resumed is not null && result.GetResult(_colorTransfer) is not { Implicit: false }
            ? resumed.ColorTransfer
            : result.GetValue(_colorTransfer) switch { "histogram" => ColorTransferMethod.Cholesky, "histogram-sqrt" => ColorTransferMethod.SymmetricSqrt, _ => null };
        bool luminanceOnly = Pick(_luminanceOnly, r => r.LuminanceOnly), preserveColors = Pick(_preserveColors, r => r.PreserveColors);
        if (luminanceOnly && (colorTransfer is not null || preserveColors))
        {
            throw new UsageException("--luminance-only already keeps the content's colours; it cannot be combined with --color-transfer or --preserve-colors");
        }

        foreach ((string name, int? value) in new[] { ("--iterations", result.GetValue(_iterations)), ("--width", result.GetValue(_width)), ("--print-iterations", result.GetValue(_printIterations)), ("--checkpoint-iterations", result.GetValue(_checkpointIterations)), ("--threads", result.GetValue(_threads)), ("--max-memory", result.GetValue(_maxMemory)), ("--lbfgs-history", result.GetValue(_lbfgsHistory)), ("--scales", result.GetValue(_scales)), ("--min-size", result.GetValue(_minSize)), ("--coarse-iterations", result.GetValue(_coarseIterations)), ("--tile", result.GetValue(_tile)) })
        {
            StyleFlagValues.Positive(name, value);
        }

        long? maxPixels = result.GetValue(_maxPixels);
        if (maxPixels is <= 0)
        {
            throw new UsageException($"--max-pixels must be a positive integer (got {maxPixels})");
        }

        bool recipeGiven = result.GetResult(_recipe) is { Implicit: false };
        bool seedRecipe = result.GetValue(_recipe) == "seed";
        OptimizerKind optimizer = resumed is not null && result.GetResult(_optimizer) is not { Implicit: false }
            ? was!.Optimizer
            : result.GetValue(_optimizer) switch { "lbfgs" => OptimizerKind.Lbfgs, "adam" => OptimizerKind.Adam, _ => StyleRecipe.DefaultOptimizer };
        var settings = new StyleTransferSettings
        {
            Iterations = Pick(_iterations, r => r.Settings.Iterations),
            ContentWeightBlend = Pick(_contentWeightBlend, r => r.Settings.ContentWeightBlend),
            StyleLayerWeightExp = Pick(_styleLayerWeightExp, r => r.Settings.StyleLayerWeightExp),
            StyleBlendWeights = blends,
            Beta1 = Pick(_beta1, r => r.Settings.Beta1),
            Beta2 = Pick(_beta2, r => r.Settings.Beta2),
            Epsilon = Pick(_epsilon, r => r.Settings.Epsilon),
            PrintIterations = Pick(_printIterations, r => r.Settings.PrintIterations),
            CheckpointIterations = Pick(_checkpointIterations, r => r.Settings.CheckpointIterations),
            InitialNoiseBlend = Pick(_initialNoiseblend, r => r.Settings.InitialNoiseBlend),
            Seed = Pick(_seed, r => r.Settings.Seed),
            ContentLayers = result.GetResult(_contentLayers) is { Implicit: false } || was is null ? StyleFlagValues.LayerList("--content-layers", result.GetValue(_contentLayers)) : was.ContentLayers,
            StyleLayers = result.GetResult(_styleLayers) is { Implicit: false } || was is null ? StyleFlagValues.LayerList("--style-layers", result.GetValue(_styleLayers)) : was.StyleLayers,
            Smoothing = result.GetResult(_smoothing) is { Implicit: false } || was is null
                ? result.GetValue(_smoothing) switch { "swag" => FeatureSmoothing.Swag, "none" => FeatureSmoothing.None, _ => null }
                : was.Smoothing,
            Optimizer = optimizer,
            AverageDecay = Pick(_average, r => r.Settings.AverageDecay),
            LbfgsHistory = Pick(_lbfgsHistory, r => r.Settings.LbfgsHistory),
            LbfgsStrongWolfe = Pick(_lbfgsLineSearch, r => r.Settings.LbfgsStrongWolfe),
            Precision = result.GetResult(_precision) is { Implicit: false } || was is null
                ? result.GetValue(_precision) switch { "bf16" => ComputePrecision.BFloat16, "auto" => ComputePrecision.Auto, _ => ComputePrecision.Float32 }
                : was.Precision,
            StyleLoss = result.GetResult(_styleLoss) is { Implicit: false } || was is null ? StyleFlagValues.StyleLossOf(result.GetValue(_styleLoss)) : was.StyleLoss,
            TileSize = Pick(_tile, r => r.Settings.TileSize),
        };
        LossWeightChoice weights = Weights(result, resumed, optimizer);
        PictureChoice picture = Picture(result, resumed, recipeGiven, seedRecipe);
        StyleFlagValues.CheckRanges(settings, weights);
        try
        {
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }

        return new StyleJobSpec
        {
            Content = Pick(_content, r => r.Content),
            Styles = styles,
            Output = Pick(_output, r => r.Output),
            CheckpointOutput = checkpointOutput,
            Plot = Pick(_plot, r => r.Plot),
            Width = Pick(_width, r => r.Width),
            StyleScales = scales,
            Network = Pick(_network, r => r.Network),
            NetworkWeights = Pick(_weights, r => r.NetworkWeights),
            Weights = weights,
            Picture = picture,
            Initial = Pick(_initial, r => r.Initial),
            PreserveColors = preserveColors,
            Pooling = resumed is not null && result.GetResult(_pooling) is not { Implicit: false } ? resumed.Pooling : result.GetValue(_pooling) == "avg" ? PoolingMode.Avg : PoolingMode.Max,
            Overwrite = resumed is not null || result.GetValue(_overwrite),
            MaxMemoryMiB = Pick(_maxMemory, r => r.MaxMemoryMiB),
            MaxPixels = Pick(_maxPixels, r => r.MaxPixels) ?? ImageLimits.DefaultMaxPixels,
            Scales = result.GetValue(_scales) ?? (resumed is not null && !recipeGiven ? resumed.Scales : seedRecipe ? 1 : StyleRecipe.DefaultScales),
            MinSize = Pick(_minSize, r => r.MinSize),
            CoarseIterations = Pick(_coarseIterations, r => r.CoarseIterations),
            ColorTransfer = colorTransfer,
            LuminanceOnly = luminanceOnly,
            Settings = settings,
        };
    }

    // The loss weights given now, else the recorded run's; L-BFGS's step size is 1 (PyTorch's lr) unless given.
    private LossWeightChoice Weights(ParseResult result, StyleJobSpec? resumed, OptimizerKind optimizer)
    {
        double? Given(Option<double?> option, double? recorded) =>
            resumed is null || result.GetResult(option) is { Implicit: false } ? result.GetValue(option) : recorded;
        LossWeightChoice? was = resumed?.Weights;
        double? learningRate = Given(_learningRate, was?.LearningRate) ?? (optimizer == OptimizerKind.Lbfgs ? 1.0 : null);
        return new LossWeightChoice(Given(_contentWeight, was?.Content), Given(_styleWeight, was?.Style), Given(_tvWeight, was?.Tv), learningRate);
    }
}
