namespace NeuralStyle.Transfer.Optimizers;

/// <summary>Settings of <see cref="Lbfgs"/>, named after torch.optim.LBFGS's (one <see cref="Lbfgs.Step"/> is one of its iterations).</summary>
/// <param name="HistorySize">Most (s, y) pairs kept; the oldest is dropped when a new one arrives.</param>
/// <param name="StrongWolfe">Search each step for a length satisfying the strong Wolfe conditions instead of taking it blindly.</param>
/// <param name="LearningRate">Step length (the line search's first trial when <paramref name="StrongWolfe"/> is set).</param>
/// <param name="ToleranceGrad">Converged when max |gradient| is at most this; 0 never stops early.</param>
/// <param name="ToleranceChange">Converged when the loss, the step or the directional derivative change by less than this; 0 never stops early.</param>
/// <param name="BacktrackOnIncrease">
/// Without line search: when a step has raised the loss by more than 1%, the next call moves back along it (to the
/// minimiser of a parabola fitted to the losses) instead of computing a new direction, repeatedly if need be: a
/// backtracking search that costs one
/// evaluation per call and only when a step fails. torch.optim.LBFGS has no such guard; in style transfer from an
/// upsampled coarse result its unit step can land where the loss is 1e17, and it never recovers.
/// </param>
public sealed record LbfgsOptions(
    int HistorySize = 100,
    bool StrongWolfe = false,
    double LearningRate = 1,
    double ToleranceGrad = 0,
    double ToleranceChange = 0,
    bool BacktrackOnIncrease = false)
{
    /// <summary>Most bytes the optimiser holds for a variable of <paramref name="elementCount"/> elements.</summary>
    /// <remarks>
    /// (2 * HistorySize + 2 + (StrongWolfe ? 1 : 0)) * elementCount * bytesPerElement: the s and y of every pair, the
    /// search direction and the previous gradient, and the line search's copy of the starting point while it runs.
    /// The variable and its gradient (owned by autograd) are not included; nor is a checkpoint from
    /// <see cref="Lbfgs.ExportState"/>, which copies the state.
    /// </remarks>
    public long EstimateStateBytes(long elementCount, int bytesPerElement = sizeof(float))
    {
        long tensors = (2L * HistorySize) + 2 + (StrongWolfe ? 1 : 0);
        return tensors * elementCount * bytesPerElement;
    }

    internal void Validate()
    {
        if (HistorySize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(HistorySize), HistorySize, "must be at least 1");
        }

        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be positive and finite");
        }

        if (!(ToleranceGrad >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(ToleranceGrad), ToleranceGrad, "must be non-negative");
        }

        if (!(ToleranceChange >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(ToleranceChange), ToleranceChange, "must be non-negative");
        }
    }
}
