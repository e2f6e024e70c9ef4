using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.ENet;

/// <summary>Max-unpooling: each value goes back to the position its max-pool index names, in a zero map of the requested size.</summary>
/// <remarks>
/// The same as PyTorch's <c>max_unpool2d(x, indices, output_size)</c> for non-overlapping pooling: indices are flat
/// positions within each (sample, channel) map of the pooled input. TorchSharp 0.107's MaxUnpool2d fails whenever
/// an output size is given ("output_size should be a sequence containing 2 or 4 elements, but it has a length of
/// '0'"), and ENet needs one when a size was odd, so this scatters instead; its gradient is the matching gather.
/// </remarks>
public sealed class SizedMaxUnpool2d : nn.Module<Tensor, Tensor, long[], Tensor>
{
    /// <summary>Creates the module (no parameters).</summary>
    public SizedMaxUnpool2d()
        : base(nameof(SizedMaxUnpool2d))
    {
    }

    /// <summary>Unpools <paramref name="input"/> (N, C, h, w) with <paramref name="indices"/> of the same shape into (N, C, H, W), <paramref name="outputSize"/> ending in H, W.</summary>
    public override Tensor forward(Tensor input, Tensor indices, long[] outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(outputSize);
        if (input.dim() != 4 || !input.shape.SequenceEqual(indices.shape) || outputSize.Length < 2)
        {
            throw new ArgumentException($"unpooling needs a 4-D input with indices of its shape and an output size ending in H, W; got [{string.Join(", ", input.shape)}], [{string.Join(", ", indices.shape)}], [{string.Join(", ", outputSize)}]");
        }

        long n = input.shape[0], c = input.shape[1], height = outputSize[^2], width = outputSize[^1];
        using var scope = NewDisposeScope();
        Tensor planes = zeros([n, c, height * width], input.dtype, input.device);
        Tensor unpooled = planes.scatter(2, indices.flatten(2), input.flatten(2));
        return unpooled.view(n, c, height, width).MoveToOuterDisposeScope();
    }
}
