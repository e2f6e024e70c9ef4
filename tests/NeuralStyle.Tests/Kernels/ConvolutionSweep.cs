using NeuralStyle.Kernels;
using NeuralStyle.Kernels.Reference;

namespace NeuralStyle.Tests.Kernels;

/// <summary>
/// The convolution shapes the kernel regression tests run: every input-channel count, each on both sides of
/// LibTorch's oneDNN dispatch threshold, with kernel sizes, strides, padding, dilation and groups spread over them.
/// </summary>
/// <remarks>
/// LibTorch 2.10 sends a float32 convolution to oneDNN when the batch is above 1, the kernel is larger than 3x3, it
/// is grouped, or the input has more than 20480 elements; otherwise it runs its own kernel. oneDNN's AVX-512 code
/// has separate paths for channel counts that are multiples of 16, of 8, and neither.
/// </remarks>
internal static class ConvolutionSweep
{
    public const int DispatchThreshold = 20480;

    private static readonly int[] OutChannels = [1, 5, 8, 16, 24, 32, 64];
    private static readonly int[] KernelSizes = [1, 3, 5, 7, 11];
    private static readonly int[] Strides = [1, 2, 4];

    /// <summary>Three cases for each input-channel count in [first, last].</summary>
    public static IEnumerable<KernelCase> ForInputChannels(int first, int last)
    {
        for (int c = first; c <= last; c++)
        {
            yield return Varied(c);
            yield return AtBatchOne(c, aboveThreshold: true);
            yield return AtBatchOne(c, aboveThreshold: false);
        }
    }

    /// <summary>Batch 1 to 4; kernel, stride, padding, dilation, groups and bias chosen from the channel count.</summary>
    public static ConvolutionCase Varied(int c)
    {
        int k = KernelSizes[c % KernelSizes.Length];
        int stride = Strides[c / KernelSizes.Length % Strides.Length];
        int dilation = c % 3 == 2 && k <= 5 ? 2 : 1;
        int pad = c % 2 == 0 ? k / 2 * dilation : 0;
        int outChannels = OutChannels[c % OutChannels.Length];
        if (k >= 7)
        {
            outChannels = Math.Min(outChannels, 16);
        }

        int groups = 1;
        if (c % 8 == 0 && outChannels % 2 == 0)
        {
            groups = 2;
        }
        else if (c % 12 == 6 && outChannels % 3 == 0)
        {
            groups = 3;
        }

        int size = Math.Max(13, (dilation * (k - 1)) + 1) + (c % 3);
        return new ConvolutionCase(1 + (c % 4), c, outChannels, size, size + 1, (k, k),
            new ConvGeometry((stride, stride), (pad, pad), (dilation, dilation), groups), bias: c % 5 != 4, seed: 1000 + c);
    }

    /// <summary>Batch 1, 3x3: just above the threshold (oneDNN) or just below it (LibTorch's own kernel).</summary>
    public static ConvolutionCase AtBatchOne(int c, bool aboveThreshold)
    {
        double side = Math.Sqrt(DispatchThreshold / (double)c);
        int size = aboveThreshold ? (int)Math.Ceiling(side) + 1 : (int)Math.Floor(side) - 1;
        int outChannels = Math.Min(32, OutChannels[(c + 3) % OutChannels.Length]);
        return new ConvolutionCase(1, c, outChannels, size, size, (3, 3),
            new ConvGeometry((1, 1), (1, 1), (1, 1), 1), seed: (aboveThreshold ? 2000 : 3000) + c);
    }
}
