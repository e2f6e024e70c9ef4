using static TorchSharp.torch;

namespace NeuralStyle.Kernels;

/// <summary>
/// A test seam: replaces one LibTorch result before it is compared with the reference, to show what the checks and
/// the guard do when a kernel is wrong on a CPU that has no wrong kernel. Return <paramref name="result"/> unchanged
/// to leave it alone.
/// </summary>
/// <param name="kernelCase">The case being checked.</param>
/// <param name="output">The output's name ("output", "input gradient", ...).</param>
/// <param name="result">LibTorch's result.</param>
public delegate Tensor KernelFault(KernelCase kernelCase, string output, Tensor result);
