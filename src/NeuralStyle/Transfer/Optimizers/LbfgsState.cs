using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Optimizers;

/// <summary>A copy of everything <see cref="Lbfgs"/> needs to resume: export with ExportState, restore with ImportState.</summary>
/// <remarks>The tensors have the variable's shape and belong to this record: dispose it when done.</remarks>
/// <param name="StepDifferences">s_k = x_{k+1} - x_k of the stored pairs, oldest first.</param>
/// <param name="GradientDifferences">y_k = g_{k+1} - g_k of the stored pairs, oldest first.</param>
/// <param name="Rho">1 / (s_k . y_k) of the stored pairs, oldest first.</param>
/// <param name="InitialHessianScale">H0 = (s . y) / (y . y) of the newest pair accepted (1 before any).</param>
/// <param name="Direction">The last search direction; null before the first step.</param>
/// <param name="PreviousGradient">The gradient where the last step started; null before the first step.</param>
/// <param name="StepSize">The multiple of <paramref name="Direction"/> the last step took.</param>
/// <param name="PreviousLoss">The loss where the last step started.</param>
/// <param name="Iterations">Steps taken (the first one has its own step size).</param>
/// <param name="FunctionEvaluations">Closure calls made in all steps.</param>
public sealed record LbfgsState(
    IReadOnlyList<Tensor> StepDifferences,
    IReadOnlyList<Tensor> GradientDifferences,
    IReadOnlyList<double> Rho,
    double InitialHessianScale,
    Tensor? Direction,
    Tensor? PreviousGradient,
    double StepSize,
    double PreviousLoss,
    long Iterations,
    long FunctionEvaluations) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor t in StepDifferences)
        {
            t.Dispose();
        }

        foreach (Tensor t in GradientDifferences)
        {
            t.Dispose();
        }

        Direction?.Dispose();
        PreviousGradient?.Dispose();
    }
}
