using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Inspection;

/// <summary>The multiply-adds of one module call, per image, by the convention of torchvision's published "GFLOPS".</summary>
/// <remarks>
/// Only convolutions and fully connected layers count, one per multiply-accumulate: a convolution costs its output
/// elements times (in_channels / groups) times the kernel area, a transposed convolution its input elements times
/// (out_channels / groups) times the kernel area, a Linear its output elements times in_features. Bias additions,
/// pooling, activations, batch norm and element-wise additions count 0. LeNet-5's paper layers count as the
/// convolutions and Linear layers they generalise (<see cref="PaperLayerMultiplyAdds"/>); other modules that compute
/// with functional calls report their own figure by implementing <see cref="IMultiplyAddCounting"/>.
/// </remarks>
public static class MultiplyAdds
{
    /// <summary>Multiply-adds per image of a call of <paramref name="module"/> with first input <paramref name="input"/> and result <paramref name="output"/>.</summary>
    public static long PerImage(nn.Module module, object? input, object? output)
    {
        ArgumentNullException.ThrowIfNull(module);
        Tensor? x = TensorValues.First(input), y = TensorValues.First(output);
        if (x is null || y is null)
        {
            return 0;
        }

        switch (module)
        {
            case IMultiplyAddCounting counting:
                return counting.MultiplyAddsPerImage(x, y);
            case var _ when PaperLayerMultiplyAdds.PerImage(module, x, y) is long paper:
                return paper;
            case Convolution conv:
                long kernel = conv.kernel_size.Aggregate(1L, (a, k) => a * k);
                // Unbatched convolution input has one dimension fewer than the kernel's plus two.
                long images = x.dim() == conv.kernel_size.Length + 2 ? x.shape[0] : 1;
                return conv.transposed
                    ? x.numel() / images * (conv.out_channels / conv.groups) * kernel
                    : y.numel() / images * (conv.in_channels / conv.groups) * kernel;
            case Linear linear:
                long rows = x.dim() >= 2 ? x.shape[0] : 1;
                return y.numel() / rows * linear.in_features;
            default:
                return 0;
        }
    }
}
