using NeuralStyle.Imaging;

namespace NeuralStyle.Transfer;

/// <summary>What <see cref="StyleTransfer.Stylize"/> reports while it runs; front ends render these.</summary>
public abstract record TransferEvent;

/// <summary>An iteration is about to take its step (1-based <paramref name="Iteration"/> of <paramref name="Total"/>).</summary>
public sealed record IterationStarted(int Iteration, int Total, TimeSpan Elapsed) : TransferEvent;

/// <summary>The losses of the current image (before this iteration's step), reported at print intervals and at the end.</summary>
public sealed record LossesEvaluated(int Iteration, LossBreakdown Losses) : TransferEvent;

/// <summary>
/// The losses of every iteration (of the image before its step), whether or not they are printed: what plots and live
/// views draw. <see cref="LossesEvaluated"/> follows it at print intervals.
/// </summary>
public sealed record IterationLosses(int Iteration, LossBreakdown Losses) : TransferEvent;

/// <summary>
/// The current image after step <paramref name="Iteration"/> of <paramref name="Total"/>, for a viewer
/// (<see cref="RunControl.PreviewInterval"/>); not the best image and never written to a file.
/// </summary>
public sealed record PreviewImage(int Iteration, int Total, RgbImage Image, TimeSpan Elapsed) : TransferEvent;

/// <summary>
/// The best image so far by evaluated loss, at a checkpoint (<paramref name="CheckpointIteration"/> = the seed's
/// 0-based iteration number) or at the end (<paramref name="CheckpointIteration"/> null).
/// </summary>
/// <param name="CheckpointIteration">The seed's 0-based iteration number, or null for the final image.</param>
/// <param name="Image">The image to write: the best iterate, or the running average with averaging on.</param>
/// <param name="BestLoss">Loss of the best iterate so far.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record ImageProduced(int? CheckpointIteration, RgbImage Image, double BestLoss, TimeSpan Elapsed) : TransferEvent
{
    /// <summary>True for the final image.</summary>
    public bool IsFinal => CheckpointIteration is null;

    /// <summary>Loss of the running average (when averaging is on).</summary>
    public double? AverageLoss { get; init; }

    /// <summary>Loss of the current iterate at this checkpoint.</summary>
    public double IterateLoss { get; init; }

    /// <summary>The state to resume from (when asked for); the receiver disposes it.</summary>
    public TransferState? State { get; init; }
}
