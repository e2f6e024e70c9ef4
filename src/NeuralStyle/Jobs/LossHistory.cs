using System.Diagnostics;
using NeuralStyle.Transfer;

namespace NeuralStyle.Jobs;

/// <summary>One evaluation of the losses during a job: which scale, which iteration, when, and the seed's four terms.</summary>
/// <param name="Scale">1-based scale of a coarse-to-fine run (1 for a single-scale run).</param>
/// <param name="Iteration">1-based iteration within the scale.</param>
/// <param name="Seconds">Seconds since the job's backbone was loaded (<see cref="JobStarted"/>).</param>
/// <param name="Content">The content term, weighted, as the seed prints it.</param>
/// <param name="Style">The style term, weighted.</param>
/// <param name="TotalVariation">The total-variation term, weighted.</param>
/// <param name="Total">The sum of the three.</param>
public sealed record LossPoint(int Scale, int Iteration, double Seconds, double Content, double Style, double TotalVariation, double Total);

/// <summary>
/// The losses of a job as it runs, gathered from its <see cref="JobEvent"/>s: what a loss plot (<c>--plot</c>) and a
/// live view draw. Safe to read (<see cref="Snapshot"/>) from another thread while the job's thread observes.
/// </summary>
public sealed class LossHistory
{
    private readonly Lock _gate = new();
    private readonly List<LossPoint> _points = [];
    private readonly Stopwatch _clock = new();
    private int _scale = 1;
    private int _scales = 1;

    /// <summary>The number of scales of the run (1 until a <see cref="ScaleStarted"/> says otherwise).</summary>
    public int Scales
    {
        get
        {
            lock (_gate)
            {
                return _scales;
            }
        }
    }

    /// <summary>Takes what matters from a job event; pass every event of the job, in order.</summary>
    public void Observe(JobEvent e)
    {
        switch (e)
        {
            case JobStarted:
                _clock.Restart();
                break;
            case ScaleStarted s:
                lock (_gate)
                {
                    _scale = s.Scale;
                    _scales = s.Scales;
                }

                break;
            case EngineProgress { Event: IterationLosses l }:
                lock (_gate)
                {
                    _points.Add(new LossPoint(_scale, l.Iteration, _clock.Elapsed.TotalSeconds, l.Losses.Content, l.Losses.Style, l.Losses.TotalVariation, l.Losses.Total));
                }

                break;
        }
    }

    /// <summary>The point most recently added, or null before the first.</summary>
    public LossPoint? Latest
    {
        get
        {
            lock (_gate)
            {
                return _points.Count == 0 ? null : _points[^1];
            }
        }
    }

    /// <summary>The points so far, in the order they were evaluated.</summary>
    public IReadOnlyList<LossPoint> Snapshot()
    {
        lock (_gate)
        {
            return [.. _points];
        }
    }
}
