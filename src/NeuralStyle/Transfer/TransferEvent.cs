using NeuralStyle.Imaging;

namespace NeuralStyle.Transfer;

/// <summary>What <see cref="StyleTransfer.Stylize"/> reports while it runs; front ends render these.</summary>
public abstract record TransferEvent;

/// <summary>An iteration is about to take its step (1-based <paramref name="Iteration"/> of <paramref name="Total"/>).</summary>
public sealed record IterationStarted(int Iteration, int Total, TimeSpan Elapsed) : TransferEvent;

/// <summary>The losses of the current image (before this iteration's step), reported at print intervals and at the end.</summary>
public sealed record LossesEvaluated(int Iteration, LossBreakdown Losses) : TransferEvent;

/// <summary>
/// The best image so far by evaluated loss, at a checkpoint (<paramref name="CheckpointIteration"/> = the seed's
/// 0-based iteration number) or at the end (<paramref name="CheckpointIteration"/> null).
/// </summary>
public sealed record ImageProduced(int? CheckpointIteration, RgbImage Image, double BestLoss, TimeSpan Elapsed) : TransferEvent
{
    /// <summary>True for the final image.</summary>
    public bool IsFinal => CheckpointIteration is null;
}
