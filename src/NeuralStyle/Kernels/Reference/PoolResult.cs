namespace NeuralStyle.Kernels.Reference;

/// <summary>A pooling's forward output and the gradient of sum(output * upstream) with respect to its input.</summary>
/// <param name="Output">The pooled output.</param>
/// <param name="InputGrad">The gradient with respect to the input x (x's shape).</param>
public sealed record PoolResult(HostTensor Output, HostTensor InputGrad);
