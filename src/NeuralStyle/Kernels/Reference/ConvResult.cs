namespace NeuralStyle.Kernels.Reference;

/// <summary>A convolution's forward output and the gradients of sum(output * upstream) with respect to each input.</summary>
/// <param name="Output">The convolution's output.</param>
/// <param name="InputGrad">The gradient with respect to the input x (x's shape).</param>
/// <param name="WeightGrad">The gradient with respect to the weight (the weight's shape).</param>
/// <param name="BiasGrad">The gradient with respect to the bias, or null when there was no bias.</param>
public sealed record ConvResult(HostTensor Output, HostTensor InputGrad, HostTensor WeightGrad, HostTensor? BiasGrad);
