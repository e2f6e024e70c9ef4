using NeuralStyle.Kernels.Reference;

namespace NeuralStyle.Kernels;

/// <summary>The sets of cases the start-up guard and <c>neural-style doctor</c> run.</summary>
/// <remarks>
/// LibTorch 2.10 sends a float32 CPU convolution to oneDNN when the batch is above 1, the kernel is larger than 3x3,
/// the convolution is grouped, or the input has more than 20480 elements (smaller ones run LibTorch's own kernel).
/// oneDNN 3.7's <c>jit:avx512_core</c> convolution was measured wrong on an AMD EPYC (Zen 5): batch 2 with 20, 24 or
/// 40 input channels (one kernel tap of channels 16..23 missing in GoogLeNet's inception4b), and LeNet-5's 6-channel
/// 5x5 input gradient non-finite in 1.5% of runs (uninitialised memory). The probes reproduce those shapes and the
/// shapes style transfer runs at batch 1 above the threshold, forward and backward.
/// </remarks>
public static class KernelSamples
{
    /// <summary>The start-up guard's probes: known-bad shapes, and the batch-1 paths style transfer takes (about 0.1 s in all).</summary>
    public static IReadOnlyList<KernelCase> GuardProbes() =>
    [
        Conv(2, 24, 64, 14, 14, 3, pad: 1, seed: 101),  // GoogLeNet inception4b.branch3.1.conv
        Conv(2, 20, 32, 14, 14, 3, pad: 1, seed: 102),
        Conv(2, 40, 32, 14, 14, 3, pad: 1, seed: 103),
        Conv(2, 6, 16, 14, 14, 5, seed: 104),           // LeNet-5's c3 (its input gradient was intermittently NaN)
        Conv(1, 6, 8, 60, 60, 3, pad: 1, seed: 105),    // batch 1 above 20480 elements: the style loop's path
        Conv(1, 3, 8, 84, 84, 3, pad: 1, seed: 106),    // a network's first layer on an image
        Conv(1, 3, 8, 64, 64, 7, stride: 2, pad: 3, seed: 107), // ResNet's stem
    ];

    /// <summary>
    /// How the guard runs its probes: twice each, on memory poisoned with NaN. That catches deterministic errors and
    /// makes reads of uninitialised memory likely to show; the kernel tests repeat hundreds of times, which start-up cannot.
    /// </summary>
    public static KernelCheckOptions GuardOptions(KernelFault? fault = null) => new(Tolerance: 1e-5, Repeats: 2, PoisonMemory: true, Fault: fault);

    /// <summary><c>neural-style doctor</c>'s self-check: every operation the networks use, a few shapes each (a few seconds).</summary>
    public static IReadOnlyList<KernelCase> DoctorSample()
    {
        var cases = new List<KernelCase>(GuardProbes());
        int seed = 200;
        foreach (int channels in new[] { 1, 3, 7, 8, 13, 16, 17, 24, 31, 32, 40, 48, 63, 64 })
        {
            int batch = 1 + (channels % 4);
            cases.Add(Conv(batch, channels, 16, 12, 12, 3, pad: 1, seed: seed++));
            cases.Add(Conv(1, channels, 8, 28, 28, 3, pad: 1, seed: seed++));
        }

        cases.Add(Conv(2, 16, 16, 20, 20, 3, stride: 2, pad: 2, dilation: 2, seed: seed++));
        cases.Add(Conv(2, 16, 32, 16, 16, 3, pad: 1, groups: 4, seed: seed++));
        cases.Add(Conv(2, 24, 24, 16, 16, 3, pad: 1, groups: 24, seed: seed++));
        cases.Add(Conv(1, 3, 16, 64, 64, 11, stride: 4, pad: 2, seed: seed++));
        cases.Add(Conv(2, 32, 16, 14, 14, 1, seed: seed++));
        cases.Add(new ConvolutionCase(2, 16, 8, 9, 9, (3, 3), new ConvGeometry((2, 2), (1, 1), (1, 1), 1, (1, 1)), transposed: true, seed: seed++));
        cases.Add(new LinearCase(3, 200, 50, seed: seed++));
        cases.Add(PoolingCase.Max(2, 8, 15, 15, 3, 2, padding: 1, ceilMode: true, seed: seed++));
        cases.Add(PoolingCase.Average(2, 8, 15, 15, 3, 2, padding: 1, ceilMode: true, countIncludePad: false, seed: seed++));
        cases.Add(new BatchNormCase(2, 16, 10, 10, training: true, seed: seed++));
        cases.Add(new BatchNormCase(2, 16, 10, 10, training: false, seed: seed++));
        return cases;
    }

    /// <summary>A square conv2d case.</summary>
    public static ConvolutionCase Conv(int batch, int inChannels, int outChannels, int height, int width, int kernel, int stride = 1, int pad = 0, int dilation = 1, int groups = 1, bool bias = true, int seed = 1) =>
        new(batch, inChannels, outChannels, height, width, (kernel, kernel), new ConvGeometry((stride, stride), (pad, pad), (dilation, dilation), groups), bias, transposed: false, seed);
}
