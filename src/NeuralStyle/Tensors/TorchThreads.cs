using TorchSharp;

namespace NeuralStyle.Tensors;

/// <summary>LibTorch's intra-op thread count, set once per process by each entry point.</summary>
public static class TorchThreads
{
    /// <summary>Uses <paramref name="threads"/>, or every core when null.</summary>
    /// <remarks>
    /// LibTorch's OpenMP threads spin while they wait; two processes that each use every core slow each other down
    /// far more than twice (measured here: 13x for a ResNet-18 pass), so on a shared machine pass fewer threads.
    /// </remarks>
    public static void Configure(int? threads = null) => torch.set_num_threads(threads ?? Environment.ProcessorCount);
}
