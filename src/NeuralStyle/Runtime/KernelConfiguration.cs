namespace NeuralStyle.Runtime;

/// <summary>Which CPU kernels LibTorch may use.</summary>
public enum KernelConfiguration
{
    /// <summary>oneDNN for convolutions where LibTorch prefers it (the fast path, PyTorch's default).</summary>
    OneDnn,

    /// <summary>oneDNN disabled: LibTorch's own kernels (im2col and MKL matrix products) for every convolution.</summary>
    NoOneDnn,
}
