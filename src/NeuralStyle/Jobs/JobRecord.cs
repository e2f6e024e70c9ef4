using NeuralStyle.Backbones;
using NeuralStyle.Runtime;
using NeuralStyle.Transfer;

namespace NeuralStyle.Jobs;

/// <summary>The run manifest a job starts with: its request, every option as resolved, the network, the libraries and the kernels.</summary>
internal static class JobRecord
{
    public static RunManifest Create(StyleJobSpec spec, JobContext context, DateTimeOffset started, int minSize, StyleTransferSettings settings, PrecisionChoice precision, IFeatureNetwork network, BackboneSelection selection, string networkSha256, TilingPlan? tiling = null) => new()
    {
        ToolVersion = ManifestRecorder.Version(typeof(StyleJob).Assembly),
        Arguments = context.Arguments,
        Started = started,
        Completed = false,
        Options = new
        {
            spec.Content,
            spec.Styles,
            spec.Output,
            spec.CheckpointOutput,
            spec.Width,
            spec.StyleScales,
            spec.Initial,
            spec.PreserveColors,
            ColorTransfer = spec.ColorTransfer?.ToString().ToLowerInvariant() ?? "none",
            spec.LuminanceOnly,
            spec.Scales,
            MinSize = minSize,
            spec.CoarseIterations,
            Pooling = spec.Pooling.ToString().ToLowerInvariant(),
            spec.Overwrite,
            Threads = TorchSharp.torch.get_num_threads(),
            Precision = new { Requested = PrecisionChoice.Name(precision.Requested), Used = PrecisionChoice.Name(precision.Used), precision.Reason },
            Settings = Describe(settings, network),
            Tiling = Describe(tiling, spec, settings),
        },
        Spec = spec,
        Network = ManifestRecorder.DescribeNetwork(selection.Path, selection.Source, network.Description, networkSha256),
        Libraries = ManifestRecorder.Libraries(),
        Kernels = RunManifest.KernelsRecord.From(TorchRuntime.EnsureInitialized()),
        ResumedFrom = context.ResumedManifest is null ? null : Path.GetFullPath(context.ResumedManifest),
    };

    // How the run is evaluated block by block (null: whole): the final scale's grid, each scale's tile, why, and the estimates.
    private static object? Describe(TilingPlan? tiling, StyleJobSpec spec, StyleTransferSettings settings)
    {
        if (tiling is null)
        {
            return settings.TileSize is int tile ? new { Requested = tile, Used = false } : null;
        }

        return new
        {
            Requested = settings.TileSize,
            Used = true,
            ChosenBy = tiling.Forced ? "--tile" : "memory budget",
            tiling.Tile,
            tiling.Geometry.Margin,
            tiling.Geometry.Alignment,
            tiling.ScaleTiles,
            EstimatedPeakBytes = tiling.EstimatedBytes,
            UntiledEstimateBytes = tiling.UntiledBytes,
        };
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
        settings.ChromaTvWeight,
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
        Precision = PrecisionChoice.Name(settings.Precision),
        ContentLayers = settings.ContentLayerWeights(network.Defaults),
        StyleLayers = settings.StyleLayerWeights(network.Defaults),
        Smoothing = (settings.Smoothing ?? network.Defaults.Smoothing).ToString().ToLowerInvariant(),
        StyleLoss = settings.StyleLoss.ToString().ToLowerInvariant(),
        Parameterization = settings.Parameterization.ToString().ToLowerInvariant(),
        settings.DecorrelateColors,
        Robustness = new
        {
            settings.Robustness.JitterPixels,
            settings.Robustness.ScaleMin,
            settings.Robustness.ScaleMax,
            settings.Robustness.RotationDegrees,
        },
    };
}
