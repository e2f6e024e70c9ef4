using NeuralStyle.Transfer;

namespace NeuralStyle.Jobs;

/// <summary>The memory check before any full-size image or tensor exists: on the sizes the headers give.</summary>
internal static class JobMemory
{
    /// <summary>The memory a job may use: <c>--max-memory</c>, else what the system has available now; null where neither is known.</summary>
    public static Budget? BudgetFor(int? limitMiB) =>
        limitMiB is int limit ? new Budget((long)limit << 20, "allowed by --max-memory", true)
        : MemoryEstimator.AvailableBytes() is long free ? new Budget(free, "available", false)
        : null;

    /// <summary>Reports the estimate and refuses a run whose estimated peak exceeds the budget (the limit given, else what is free).</summary>
    /// <remarks>
    /// The peak is that of the optimisation at the content's size, or of computing a style's targets when a style is
    /// larger than the content (<c>--style-scales</c> above 1): that forward pass keeps every activation up to the
    /// deepest style layer. The styles themselves are held for the whole run. A parameterisation with a variable of its
    /// own (Fourier, pyramid, decorrelated colours) and transforms add to the optimisation's share (see
    /// <see cref="MemoryEstimator.OptimisedBytes"/>). The settings' precision is resolved by now: bfloat16 halves the
    /// activations and adds the weights' copies (<see cref="MemoryEstimator.BackboneBytes"/>); the style targets'
    /// forward pass is estimated in float32, which errs high for bfloat16.
    /// </remarks>
    /// <exception cref="InsufficientMemoryException">The run would not fit.</exception>
    public static void Check(IFeatureNetwork network, StyleTransferSettings settings, JobImageSizes sizes, int? limitMiB, Action<JobEvent> report)
    {
        long weights = network.WeightBytes;
        (int width, int height) = sizes.Content;
        long styleImages = sizes.Styles.Aggregate(0L, (sum, s) => MemoryEstimator.Saturate((double)sum + MemoryEstimator.ImageBytes(s.Width, s.Height)));
        double variable = MemoryEstimator.VariableElements(settings.Parameterization, settings.DecorrelateColors, width, height);
        long optimisation = MemoryEstimator.EstimateBytes(network, settings.LayersInUse(network.Defaults), width, height, weights, settings.OptimizerImageCopies, variable, !settings.Robustness.IsNone, settings.Precision);
        long run = MemoryEstimator.Saturate((double)optimisation + styleImages);

        // Only the largest style can set the peak, and only if it has more pixels than the content: per pixel, a
        // forward pass without gradients costs less than an optimisation step.
        (int Width, int Height) largest = sizes.Styles.MaxBy(s => (long)s.Width * s.Height);
        long stylePass = 0;
        if ((long)largest.Width * largest.Height > (long)width * height)
        {
            string[] styleLayers = [.. settings.StyleLayerWeights(network.Defaults).Select(l => l.Layer)];
            long contentImages = 2 * MemoryEstimator.ImageBytes(width, height);
            stylePass = MemoryEstimator.Saturate((double)MemoryEstimator.EstimateForwardBytes(network, styleLayers, largest.Width, largest.Height, weights) + styleImages + contentImages);
        }

        long estimate = Math.Max(run, stylePass);
        Budget? budget = BudgetFor(limitMiB);
        report(new MemoryChecked(estimate, budget?.Bytes, limitMiB is not null));
        if (budget is { } b && estimate > b.Bytes)
        {
            throw new InsufficientMemoryException(stylePass > run
                ? $"a {width}x{height} run with a {largest.Width}x{largest.Height} style image needs about {estimate >> 20} MiB but only {b.Bytes >> 20} MiB are {b.Name}; use a smaller --width or smaller --style-scales"
                : $"a {width}x{height} run needs about {estimate >> 20} MiB but only {b.Bytes >> 20} MiB are {b.Name}; use a smaller --width" + (settings.Optimizer == OptimizerKind.Lbfgs ? " or fewer L-BFGS pairs (--lbfgs-history)" : ""));
        }
    }

    /// <summary>A memory budget and how messages name it.</summary>
    /// <param name="Bytes">The bytes allowed.</param>
    /// <param name="Name">"allowed by --max-memory" or "available".</param>
    /// <param name="Limited">The user set it (<c>--max-memory</c>).</param>
    internal sealed record Budget(long Bytes, string Name, bool Limited);
}
