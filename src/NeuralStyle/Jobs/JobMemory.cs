using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Tiling;

namespace NeuralStyle.Jobs;

/// <summary>The memory check before any full-size image or tensor exists: on the sizes the headers give.</summary>
internal static class JobMemory
{
    /// <summary>The memory a job may use: <c>--max-memory</c>, else what the system has available now; null where neither is known.</summary>
    public static Budget? BudgetFor(int? limitMiB) =>
        limitMiB is int limit ? new Budget((long)limit << 20, "allowed by --max-memory", true)
        : MemoryEstimator.AvailableBytes() is long free ? new Budget(free, "available", false)
        : null;

    /// <summary>Reports the estimate, chooses tiling where the run needs it, and refuses a run whose estimated peak exceeds the budget (the limit given, else what is free).</summary>
    /// <remarks>
    /// The peak is that of the optimisation at the content's size, or of computing a style's targets when a style is
    /// larger than the content (<c>--style-scales</c> above 1): that forward pass keeps every activation up to the
    /// deepest style layer. The styles themselves are held for the whole run. A parameterisation with a variable of its
    /// own (Fourier, pyramid, decorrelated colours) and transforms add to the optimisation's share (see
    /// <see cref="MemoryEstimator.OptimisedBytes"/>). The settings' precision is resolved by now: bfloat16 halves the
    /// activations and adds the weights' copies (<see cref="MemoryEstimator.BackboneBytes"/>); the style targets'
    /// forward pass is estimated in float32, which errs high for bfloat16.
    /// When the untiled peak exceeds the budget, or <see cref="StyleTransferSettings.TileSize"/> asks for it, the run is
    /// evaluated block by block (<see cref="Transfer.Tiling.TiledLosses"/>): the network's geometry is measured, and the
    /// largest tile whose estimate fits is chosen (<see cref="MemoryEstimator.EstimateTiledBytes"/>); each coarser scale
    /// runs untiled when it fits untiled.
    /// </remarks>
    /// <returns>The tiling plan, or null when every scale runs untiled.</returns>
    /// <exception cref="InsufficientMemoryException">The run would not fit, even tiled.</exception>
    public static TilingPlan? Check(IFeatureNetwork network, StyleTransferSettings settings, JobImageSizes sizes, int? limitMiB, IReadOnlyList<ScaleStep> plan, Action<JobEvent> report)
    {
        (int width, int height) = sizes.Content;
        long styleImages = sizes.Styles.Aggregate(0L, (sum, s) => MemoryEstimator.Saturate((double)sum + MemoryEstimator.ImageBytes(s.Width, s.Height)));
        long run = Untiled(network, settings, width, height, styleImages);
        long stylePass = StylePass(network, settings, sizes, styleImages, null);
        long estimate = Math.Max(run, stylePass);
        Budget? budget = BudgetFor(limitMiB);

        TilingPlan? tiling = null, smallest = null;
        int side = Math.Max(width, height);
        if (settings.TileSize is int forced && side > forced)
        {
            tiling = Tiled(network, settings, sizes, styleImages, forced, true, run, budget, plan);
        }
        else if (settings.TileSize is null && budget is { } over && estimate > over.Bytes && Transfer.Tiling.TiledLosses.Refusal(settings.StyleLoss) is null)
        {
            TilingGeometry geometry = TilingGeometry.Measure(network, settings.LayersInUse(network.Defaults));
            foreach (int tile in TileCandidates.Where(t => t < side))
            {
                TilingPlan candidate = Tiled(network, settings, sizes, styleImages, tile, false, run, budget, plan, geometry);
                smallest = candidate;
                if (candidate.EstimatedBytes <= over.Bytes)
                {
                    tiling = candidate;
                    break;
                }
            }
        }

        if (tiling is not null)
        {
            estimate = tiling.EstimatedBytes;
        }

        report(new MemoryChecked(estimate, budget?.Bytes, limitMiB is not null));
        if (tiling is not null)
        {
            TileGrid grid = tiling.GridFor(width, height);
            report(new TilingChosen(width, height, grid.RowCount, grid.ColumnCount, grid.Tile, grid.Margin, grid.LargestBlock.Width, grid.LargestBlock.Height, tiling.EstimatedBytes, tiling.Forced));
        }

        if (budget is { } b && estimate > b.Bytes)
        {
            (int Width, int Height) largest = sizes.Styles.MaxBy(s => (long)s.Width * s.Height);
            string tiled = tiling is null ? "" : $" (evaluated in {tiling.Tile} px tiles)";
            string lbfgs = settings.Optimizer == OptimizerKind.Lbfgs ? " or fewer L-BFGS pairs (--lbfgs-history)" : "";
            if (tiling is null && smallest is not null)
            {
                throw new InsufficientMemoryException($"a {width}x{height} run needs about {estimate >> 20} MiB untiled and {smallest.EstimatedBytes >> 20} MiB even in {smallest.Tile} px tiles, but only {b.Bytes >> 20} MiB are {b.Name}; use a smaller --width{lbfgs}");
            }

            throw new InsufficientMemoryException(tiling is null && stylePass > run
                ? $"a {width}x{height} run with a {largest.Width}x{largest.Height} style image needs about {estimate >> 20} MiB but only {b.Bytes >> 20} MiB are {b.Name}; use a smaller --width or smaller --style-scales"
                : $"a {width}x{height} run{tiled} needs about {estimate >> 20} MiB but only {b.Bytes >> 20} MiB are {b.Name}; use a smaller --width{(tiling is { Forced: true } ? " or a smaller --tile" : "")}{lbfgs}"
                    + (tiling is null && Transfer.Tiling.TiledLosses.Refusal(settings.StyleLoss) is string refusal ? $" ({refusal})" : ""));
        }

        return tiling;
    }

    // Full-size pictures the job holds beside the engine, which only a tiled run's estimate must count (untiled, the
    // activations dwarf them): the content and its colour original, the previous scale's result, the picture delivered
    // and its colour-finished copy, the starting tensor. Fitted: the README's 4096x4096 run of the bundled ResNet-18
    // over three scales peaked at 10204 MiB where the engine's estimate was 9220 MiB (the single-scale benchmark run,
    // 8978 MiB).
    private const int JobImageCopies = 6;

    // Tile sizes tried when the budget asks for tiling, largest first: fewer blocks repeat less margin.
    private static readonly int[] TileCandidates = [4096, 3072, 2048, 1536, 1024, 768, 512, 384, 256, 192, 128];

    // The untiled optimisation at a size, with the styles held.
    private static long Untiled(IFeatureNetwork network, StyleTransferSettings settings, int width, int height, long styleImages)
    {
        double variable = MemoryEstimator.VariableElements(settings.Parameterization, settings.DecorrelateColors, width, height);
        long optimisation = MemoryEstimator.EstimateBytes(network, settings.LayersInUse(network.Defaults), width, height, network.WeightBytes, settings.OptimizerImageCopies, variable, !settings.Robustness.IsNone, settings.Precision);
        return MemoryEstimator.Saturate((double)optimisation + styleImages);
    }

    // Only the largest style can set the peak, and only if it has more pixels than the content: per pixel, a forward
    // pass without gradients costs less than an optimisation step. Tiled, the style's pass runs block by block too.
    private static long StylePass(IFeatureNetwork network, StyleTransferSettings settings, JobImageSizes sizes, long styleImages, (int Width, int Height)? block)
    {
        (int width, int height) = sizes.Content;
        (int Width, int Height) largest = sizes.Styles.MaxBy(s => (long)s.Width * s.Height);
        if ((long)largest.Width * largest.Height <= (long)width * height)
        {
            return 0;
        }

        string[] styleLayers = [.. settings.StyleLayerWeights(network.Defaults).Select(l => l.Layer)];
        long contentImages = 2 * MemoryEstimator.ImageBytes(width, height);
        (int w, int h) = block is { } b ? (Math.Min(largest.Width, b.Width), Math.Min(largest.Height, b.Height)) : largest;
        return MemoryEstimator.Saturate((double)MemoryEstimator.EstimateForwardBytes(network, styleLayers, w, h, network.WeightBytes) + styleImages + contentImages);
    }

    // The plan for one tile size: its estimate at the final scale, and the tile of every scale (a coarser scale runs
    // untiled when it is no larger than the tile, or, when the budget chose tiling, when it fits untiled).
    private static TilingPlan Tiled(IFeatureNetwork network, StyleTransferSettings settings, JobImageSizes sizes, long styleImages, int tile, bool forced, long untiled, Budget? budget, IReadOnlyList<ScaleStep> plan, TilingGeometry? geometry = null)
    {
        (int width, int height) = sizes.Content;
        geometry ??= TilingGeometry.Measure(network, settings.LayersInUse(network.Defaults));
        var grid = new TileGrid(width, height, tile, geometry.Margin, geometry.Alignment);
        FeatureSmoothing smoothing = settings.Smoothing ?? network.Defaults.Smoothing;
        long tiled = MemoryEstimator.Saturate((double)MemoryEstimator.EstimateTiledBytes(network, settings, width, height, grid.LargestBlock, smoothing) + styleImages + (JobImageCopies * (double)MemoryEstimator.ImageBytes(width, height)));
        long estimate = Math.Max(tiled, StylePass(network, settings, sizes, styleImages, grid.LargestBlock));
        int?[] scaleTiles = [.. plan.Select(step =>
            Math.Max(step.Width, step.Height) <= tile ? null
            : forced || budget is null || Untiled(network, settings, step.Width, step.Height, styleImages) > budget.Bytes ? (int?)tile
            : null)];
        return new TilingPlan(tile, geometry, forced, scaleTiles, estimate, untiled);
    }

    /// <summary>A memory budget and how messages name it.</summary>
    /// <param name="Bytes">The bytes allowed.</param>
    /// <param name="Name">"allowed by --max-memory" or "available".</param>
    /// <param name="Limited">The user set it (<c>--max-memory</c>).</param>
    internal sealed record Budget(long Bytes, string Name, bool Limited);
}
