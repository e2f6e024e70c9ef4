namespace NeuralStyle.Runtime;

/// <summary>What <see cref="TorchRuntime"/> found and chose: versions, CPU, threads, native logging and the kernel guard's decision.</summary>
/// <param name="DotNet">.NET runtime version.</param>
/// <param name="TorchSharp">TorchSharp version.</param>
/// <param name="LibTorch">LibTorch version.</param>
/// <param name="OneDnn">oneDNN version inside LibTorch, null if it cannot be read.</param>
/// <param name="Cpu">The processor.</param>
/// <param name="Threads">LibTorch's intra-op threads.</param>
/// <param name="NativeLogLevel">c10's printed severity ("error": warnings silenced).</param>
/// <param name="Nnpack">Whether NNPACK is enabled (never: see <see cref="TorchRuntime"/>).</param>
/// <param name="Guard">The kernel guard's decision.</param>
public sealed record RuntimeReport(
    string DotNet,
    string TorchSharp,
    string LibTorch,
    string? OneDnn,
    CpuDescription Cpu,
    int Threads,
    string NativeLogLevel,
    bool Nnpack,
    KernelGuardDecision Guard);
