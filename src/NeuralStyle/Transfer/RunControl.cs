using System.Diagnostics;

namespace NeuralStyle.Transfer;

/// <summary>
/// What a front end may ask of a run while it goes on, from another thread: to stop early (<see cref="RequestStop"/>),
/// and to see the image as it forms (<see cref="PreviewInterval"/>). One per run; nothing here is process-wide.
/// </summary>
/// <remarks>
/// A stop is not a cancellation: the iteration under way becomes the last, so the run ends as a finished one does,
/// with its best picture, a complete manifest and the state to resume from. Cancellation abandons the run instead.
/// </remarks>
public sealed class RunControl
{
    private readonly Stopwatch _sincePreview = new();
    private volatile bool _stop;

    /// <param name="previewInterval">Yield a <see cref="PreviewImage"/> at most this often (null: never).</param>
    public RunControl(TimeSpan? previewInterval = null)
    {
        if (previewInterval is { } interval && interval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(previewInterval), "the preview interval cannot be negative");
        }

        PreviewInterval = previewInterval;
    }

    /// <summary>How often the run renders its current image for a viewer; null when nobody watches.</summary>
    public TimeSpan? PreviewInterval { get; }

    /// <summary>True once <see cref="RequestStop"/> was called.</summary>
    public bool StopRequested => _stop;

    /// <summary>Ends the run after the iteration under way, as if it were the last one asked for. Safe from any thread.</summary>
    public void RequestStop() => _stop = true;

    // Called on the run's thread after each step: true at the first step and then once the interval has passed.
    internal bool PreviewDue()
    {
        if (PreviewInterval is not { } interval)
        {
            return false;
        }

        if (_sincePreview.IsRunning && _sincePreview.Elapsed < interval)
        {
            return false;
        }

        _sincePreview.Restart();
        return true;
    }
}
