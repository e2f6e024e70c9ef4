using NeuralStyle.Jobs;
using NeuralStyle.Plotting;

namespace NeuralStyle.Cli;

/// <summary>
/// <c>--plot FILE.png</c>: the job's losses gathered from its events as it runs (<see cref="LossHistory"/>), drawn into
/// the file when the run ends, however it ends: finished, stopped, or failed after some iterations. A run that ends
/// before its first losses writes no plot (and so never replaces a file it was refused for).
/// </summary>
/// <remarks>
/// The name was checked with the other outputs before the long work (<see cref="StyleJobSpec.Plot"/>: extension,
/// directory, an existing file without --overwrite), so the file is replaced here without asking again.
/// </remarks>
internal sealed class JobPlot(string path, TextWriter error)
{
    private readonly LossHistory _history = new();

    /// <summary>The plot of <paramref name="spec"/>, or null when it asks for none.</summary>
    public static JobPlot? For(StyleJobSpec spec, TextWriter error) => spec.Plot is null ? null : new JobPlot(spec.Plot, error);

    /// <summary>Pass every event of the job, in order.</summary>
    public void Observe(JobEvent e) => _history.Observe(e);

    /// <summary>
    /// Draws the losses so far into the file. After a finished run a failure to write is the command's failure
    /// (<see cref="IOException"/>, one line); after a failed run it is reported in a line of its own and the run's
    /// error stays the one the command ends with.
    /// </summary>
    public void Write(bool afterFailure)
    {
        IReadOnlyList<LossPoint> points = _history.Snapshot();
        if (points.Count == 0)
        {
            return;
        }

        if (!afterFailure)
        {
            LossPlot.Write(points, path, overwrite: true, _history.Scales);
            return;
        }

        try
        {
            LossPlot.Write(points, path, overwrite: true, _history.Scales);
            error.WriteLine($"Plot: {path}: the losses until the run failed");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error.WriteLine($"neural-style: warning: no loss plot: {e.Message.Split('\n', 2)[0]}");
        }
    }
}
