using NeuralStyle.Imaging;
using NeuralStyle.Transfer;

namespace NeuralStyle.Jobs;

/// <summary>The memory check before the first iteration.</summary>
internal static class JobMemory
{
    /// <summary>Reports the estimate and refuses a run whose estimated peak exceeds the budget (the limit given, else what is free).</summary>
    /// <exception cref="InsufficientMemoryException">The run would not fit.</exception>
    public static void Check(IFeatureNetwork network, StyleTransferSettings settings, RgbImage content, int? limitMiB, Action<JobEvent> report)
    {
        long weights = network.WeightBytes;
        long estimate = MemoryEstimator.EstimateBytes(network, settings.LayersInUse(network.Defaults), content.Width, content.Height, weights, settings.OptimizerImageCopies);
        long? budget = limitMiB is int limit ? (long)limit << 20 : MemoryEstimator.AvailableBytes();
        report(new MemoryChecked(estimate, budget, limitMiB is not null));
        if (budget is long free && estimate > free)
        {
            string what = limitMiB is null ? "available" : "allowed by --max-memory";
            throw new InsufficientMemoryException(
                $"a {content.Width}x{content.Height} run needs about {estimate >> 20} MiB but only {free >> 20} MiB are {what}; use a smaller --width" + (settings.Optimizer == OptimizerKind.Lbfgs ? " or fewer L-BFGS pairs (--lbfgs-history)" : ""));
        }
    }
}
