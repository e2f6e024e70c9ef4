namespace NeuralStyle.Kernels.Reference;

/// <summary>
/// Batch normalisation's output, the gradients of sum(output * upstream) with respect to x, weight and bias, and the
/// running statistics after the call.
/// </summary>
/// <param name="Output">The normalised, scaled and shifted x.</param>
/// <param name="InputGrad">The gradient with respect to x (x's shape).</param>
/// <param name="WeightGrad">The gradient with respect to the per-channel weight (gamma), shape [C].</param>
/// <param name="BiasGrad">The gradient with respect to the per-channel bias (beta), shape [C].</param>
/// <param name="RunningMean">The running mean after the call (new arrays; the caller's are not modified).</param>
/// <param name="RunningVar">The running variance after the call (new arrays; the caller's are not modified).</param>
public sealed record BatchNormResult(
    HostTensor Output,
    HostTensor InputGrad,
    HostTensor WeightGrad,
    HostTensor BiasGrad,
    double[] RunningMean,
    double[] RunningVar);
