using NeuralStyle.Transfer;

namespace NeuralStyle.Zoo.Inspection;

/// <summary>The peak memory of summarising a zoo model at an input size (<see cref="ModelSummary.Create"/>), known before it runs there.</summary>
/// <remarks>
/// A summary runs the model once without gradients and keeps every module's output until the pass ends; outputs grow
/// linearly with pixels. So the model is traced at <c>probe</c>, an input it is known to take (its canonical one: some
/// models take no other), and the element counts are scaled to the input asked for.
/// </remarks>
public static class SummaryMemory
{
    /// <summary>Estimates the peak bytes of summarising <paramref name="model"/> at <paramref name="input"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="probe">An input the model takes, run for the estimate (the canonical input).</param>
    /// <param name="input">The input the summary is wanted for.</param>
    public static long EstimateBytes(ZooModel model, InputShape probe, InputShape input)
    {
        ArgumentNullException.ThrowIfNull(model);
        (IReadOnlyList<ModuleCall> calls, _) = ForwardTrace.Run(model, probe);
        // Containers return their last child's tensor, so this counts some outputs twice: the estimate errs high.
        double elements = calls.Sum(c => c.OutputShapes.Sum(s => s.Aggregate(1.0, (n, d) => n * d)));
        double scale = (double)input.Height * input.Width / ((double)probe.Height * probe.Width);
        double parameters = model.parameters().Sum(p => (double)p.numel() * p.element_size());
        double inputBytes = 4.0 * input.Channels * input.Height * input.Width;
        return MemoryEstimator.Saturate(MemoryEstimator.BaselineBytes + parameters + inputBytes + (elements * scale * MemoryEstimator.BytesPerForwardElement));
    }
}
