using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.ENet;

/// <summary>A bias-free 2-D transposed convolution that produces a requested output size, like PyTorch's <c>forward(x, output_size)</c>.</summary>
/// <remarks>
/// ENet upsamples back to the exact size of the matching encoder stage, which for odd sizes needs an output padding
/// that depends on the input. TorchSharp's ConvTranspose2d takes the size only through a <c>forward</c> overload that
/// bypasses forward hooks (and uses one padding for both axes), so the size is set on <see cref="OutputSize"/> just
/// before <c>call(x)</c> instead. The weight is registered as <c>weight</c>, shaped (in, out, kh, kw) as in PyTorch.
/// </remarks>
public sealed class SizedConvTranspose2d : ConvolutionTranspose
{
    private readonly long _kernel;
    private readonly long _stride;
    private readonly long _padding;

    /// <summary>Creates the convolution with a square kernel, stride and padding.</summary>
    public SizedConvTranspose2d(long inChannels, long outChannels, long kernel, long stride, long padding)
        : base(nameof(SizedConvTranspose2d), inChannels, outChannels, [kernel, kernel], [stride, stride], [padding, padding], null, [1, 1], true, [0, 0], 1, false, PaddingModes.Zeros)
    {
        _kernel = kernel;
        _stride = stride;
        _padding = padding;
    }

    /// <summary>The height and width the next call must produce; null: the smallest size (no output padding).</summary>
    public long[]? OutputSize { get; set; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, long[]? output_size)
    {
        ArgumentNullException.ThrowIfNull(input);
        long[]? size = output_size ?? OutputSize;
        long[] outputPadding = [0, 0];
        if (size is not null)
        {
            if (size.Length != 2)
            {
                throw new ArgumentException($"the output size must be height and width, got {size.Length} values", nameof(output_size));
            }

            for (int d = 0; d < 2; d++)
            {
                long smallest = ((input.shape[^(2 - d)] - 1) * _stride) - (2 * _padding) + _kernel;
                outputPadding[d] = size[d] - smallest;
                if (outputPadding[d] < 0 || outputPadding[d] >= _stride)
                {
                    throw new ArgumentException($"an output size of {size[0]}x{size[1]} cannot be reached from {input.shape[^2]}x{input.shape[^1]} (axis {d}: {smallest} to {smallest + _stride - 1})", nameof(output_size));
                }
            }
        }

        return nn.functional.conv_transpose2d(input, weight, null, [_stride, _stride], [_padding, _padding], outputPadding);
    }
}
