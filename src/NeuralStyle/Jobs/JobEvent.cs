using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Transfer;

namespace NeuralStyle.Jobs;

/// <summary>What <see cref="StyleJob.Run"/> reports, in order; front ends (console, web view, job queue) render these.</summary>
public abstract record JobEvent;

/// <summary>The backbone is loaded: what it is, where it came from, and what it computes in (<c>--precision</c> resolved, and why).</summary>
public sealed record JobStarted(string NetworkDescription, BackboneSelection Backbone, PrecisionChoice? Precision = null) : JobEvent
{
    /// <summary>The specification as it runs: the backbone's defaults and the precision resolved (what the manifest records).</summary>
    public StyleJobSpec? Resolved { get; init; }
}

/// <summary>The memory estimate, before the first iteration (<paramref name="Limited"/>: the budget is the spec's limit, not what the system has free).</summary>
public sealed record MemoryChecked(long EstimatedBytes, long? BudgetBytes, bool Limited) : JobEvent;

/// <summary>
/// The scales the run will take, coarsest first (one for a single-scale run; a resumed run takes only the last): what a
/// viewer estimates the whole run's remaining time from.
/// </summary>
public sealed record ScalesPlanned(IReadOnlyList<ScaleStep> Scales) : JobEvent;

/// <summary>A scale of a coarse-to-fine run begins (1-based <paramref name="Scale"/> of <paramref name="Scales"/>).</summary>
public sealed record ScaleStarted(int Scale, int Scales, int Width, int Height, int Iterations) : JobEvent;

/// <summary>The engine's progress: <see cref="IterationStarted"/> and <see cref="LossesEvaluated"/>, for the scale under way.</summary>
public sealed record EngineProgress(TransferEvent Event) : JobEvent;

/// <summary>
/// A picture of the final scale, as the user gets it (colour options applied): at a checkpoint
/// (<paramref name="CheckpointIteration"/>, the seed's 0-based number) or at the end (null). <paramref name="File"/> is
/// where it was written, or null (a checkpoint without a checkpoint file name).
/// </summary>
public sealed record PictureProduced(RgbImage Picture, int? CheckpointIteration, string? File, double BestLoss, TimeSpan Elapsed) : JobEvent
{
    /// <summary>True for the final picture.</summary>
    public bool IsFinal => CheckpointIteration is null;
}

/// <summary>The run record is on disk: the manifest (and, at checkpoints, the state to resume from).</summary>
public sealed record CheckpointSaved(string Manifest, string? State, int CompletedIterations) : JobEvent;

/// <summary>
/// The run finished: its final image and manifest. <paramref name="StoppedAfter"/> is set when a stop
/// (<see cref="RunControl.RequestStop"/>) ended it early: the final scale's iterations done, fewer than asked for.
/// </summary>
public sealed record JobFinished(string Output, string Manifest, TimeSpan Elapsed, int? StoppedAfter = null) : JobEvent
{
    /// <summary>True when a stop ended the run before its last iteration (resume it with more iterations to go on).</summary>
    public bool Stopped => StoppedAfter is not null;
}

/// <summary>The run stopped: the reason in one line, and the error (an <see cref="OperationCanceledException"/> when cancelled).</summary>
public sealed record JobFailed(string Reason, Exception Error) : JobEvent;

/// <summary>
/// The final scale is evaluated block by block (<see cref="Transfer.Tiling.TiledLosses"/>): its size, the grid (rows,
/// columns, inner tile, margin, largest block), the estimated peak, and whether <c>--tile</c> asked for it or the memory
/// budget did.
/// </summary>
public sealed record TilingChosen(int Width, int Height, int Rows, int Columns, int Tile, int Margin, int BlockWidth, int BlockHeight, long EstimatedBytes, bool Forced) : JobEvent;
