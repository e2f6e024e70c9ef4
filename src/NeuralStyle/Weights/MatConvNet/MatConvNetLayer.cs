namespace NeuralStyle.Weights.MatConvNet;

/// <summary>One layer of a MatConvNet SimpleNN file, its fields looked up by name.</summary>
/// <param name="Name">The layer's name field.</param>
/// <param name="Type">The layer's type field ("conv", "relu", "pool", ...).</param>
/// <param name="Kernel">For convolutions: the kernel as stored, column-major H x W x Cin x Cout.</param>
/// <param name="KernelDimensions">H, W, Cin, Cout (trailing singleton dimensions MATLAB dropped are restored).</param>
/// <param name="Bias">For convolutions: Cout values.</param>
public sealed record MatConvNetLayer(string Name, string Type, float[]? Kernel, int[]? KernelDimensions, float[]? Bias);
