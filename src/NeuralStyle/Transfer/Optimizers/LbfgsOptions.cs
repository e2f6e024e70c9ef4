namespace NeuralStyle.Transfer.Optimizers;

/// <summary>Settings of <see cref="Lbfgs"/>, named after torch.optim.LBFGS's (one <see cref="Lbfgs.Step"/> is one of its iterations).</summary>
/// <param name="HistorySize">Most (s, y) pairs kept; the oldest is dropped when a new one arrives.</param>
/// <param name="StrongWolfe">Search each step for a length satisfying the strong Wolfe conditions instead of taking it blindly.</param>
/// <param name="LearningRate">Step length (the line search's first trial when <paramref name="StrongWolfe"/> is set).</param>
/// <param name="ToleranceGrad">Converged when max |gradient| is at most this; 0 never stops early.</param>
/// <param name="ToleranceChange">Converged when the loss, the step or the directional derivative change by less than this; 0 never stops early.</param>
public sealed record LbfgsOptions(
    int HistorySize = 100,
    bool StrongWolfe = false,
    double LearningRate = 1,
    double ToleranceGrad = 0,
    double ToleranceChange = 0)
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
