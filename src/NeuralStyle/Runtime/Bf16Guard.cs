using System.Diagnostics;
using System.Globalization;
using NeuralStyle.Kernels;
using NeuralStyle.Kernels.Reference;
using TorchSharp;

namespace NeuralStyle.Runtime;

/// <summary>
/// The start-up check of the bfloat16 engine path (<c>--precision bf16|auto</c>): the CPU must have native bfloat16
/// (AVX512_BF16 or AMX-BF16), and bfloat16 convolutions, forward and input gradient, must agree with a float64
/// reference within <see cref="Tolerance"/> on probes of the shapes the float32 guard probes and those VGG runs.
/// </summary>
/// <remarks>
/// It runs in the kernel configuration <see cref="KernelGuard"/> chose (oneDNN on or off), once per process and only
/// when a run asks for bfloat16, so float32 runs never pay for it.
/// </remarks>
public static class Bf16Guard
{
    /// <summary>
    /// Largest accepted error relative to the sums of |terms|.
    /// </summary>
    /// <remarks>
    /// Rounding both factors of every term to bfloat16 (8-bit
    /// significand) costs at most 2^-8 of each term, and rounding the output to bfloat16 2^-9 of it: 5.9e-3 at worst.
    /// Measured on this machine (Xeon, AVX512_BF16): 5e-4 to 2.1e-3 (Bf16GuardTests prints them). A kernel that drops part
    /// of its sum, the failure the float32 guard was written for, is off by 1e-1.
    /// </remarks>
    public const double Tolerance = 1e-2;

    /// <summary>
    /// How much faster than fp32 a bf16 convolution must measure for <c>--precision auto</c> to take it. Native bf16
    /// is not always faster: on this Xeon (AVX512_BF16 without AMX visible to the guest) oneDNN's bf16 convolutions
    /// take 1.4x fp32's time, on a Zen 5 EPYC a third of it (shared/reference/platform.md).
    /// </summary>
    public const double AutoSpeedup = 1.2;

    /// <summary>The CPU extensions that give native bfloat16 arithmetic (without them oneDNN emulates it, slower than float32).</summary>
    public static readonly IReadOnlyList<string> NativeExtensions = ["avx512_bf16", "amx_bf16"];

    private static readonly Lock Gate = new();
    private static Bf16Decision? _current;

    /// <summary>The decision for this process and CPU, made on first use.</summary>
    public static Bf16Decision Current
    {
        get
        {
            lock (Gate)
            {
                return _current ??= Decide(TorchRuntime.EnsureInitialized().Cpu);
            }
        }
    }

    /// <summary>The probes: channel counts that are and are not multiples of 8 and 16, batches 1 and 2, sizes on both sides of LibTorch's oneDNN threshold (20480 input elements).</summary>
    public static IReadOnlyList<KernelCase> Probes() =>
    [
        Conv(1, 3, 16, 48, 48, seed: 301),   // a first layer on an image (3 channels), above the threshold
        Conv(1, 32, 32, 26, 26, seed: 302),  // VGG's inner shapes (multiples of 16), above
        Conv(1, 40, 24, 12, 12, seed: 303),  // below, 40 channels
        Conv(2, 20, 32, 14, 14, seed: 304),  // batch 2, 20 channels (measured wrong in float32 on one CPU)
        Conv(2, 24, 32, 14, 14, seed: 305),  // batch 2, 24 channels
        Conv(1, 13, 8, 60, 60, seed: 306),   // 13 channels, above
    ];

    /// <summary>Decides for <paramref name="cpu"/>: refused without native bfloat16, else the probes decide.</summary>
    /// <param name="cpu">The processor (its extensions are read; tests pass one without bfloat16).</param>
    /// <param name="probes">The cases to run; null: <see cref="Probes"/>.</param>
    /// <param name="fault">Test seam: replaces LibTorch results before comparison (see <see cref="KernelFault"/>).</param>
    public static Bf16Decision Decide(CpuDescription cpu, IReadOnlyList<KernelCase>? probes = null, KernelFault? fault = null)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        var clock = Stopwatch.StartNew();
        if (!NativeExtensions.Any(cpu.Extensions.Contains))
        {
            return new Bf16Decision(false, $"the CPU ({cpu.Model}) has neither {string.Join(" nor ", NativeExtensions)}", [], clock.Elapsed.TotalMilliseconds);
        }

        probes ??= Probes();
        IReadOnlyList<KernelCheckResult> results = KernelCheck.Run(probes, new KernelCheckOptions(Tolerance, Repeats: 2, PoisonMemory: true, Fault: fault));
        KernelCheckResult? failed = results.FirstOrDefault(r => !r.Passed);
        string reason = failed is null
            ? string.Create(CultureInfo.InvariantCulture, $"{string.Join("/", NativeExtensions.Where(cpu.Extensions.Contains))}; all {results.Count} bf16 convolution probes agree with float64 (worst {results.Max(r => r.Worst.RelativeError):0.0e+00}, tolerance {Tolerance:0.0e+00})")
            : string.Create(CultureInfo.InvariantCulture, $"the bf16 convolution check failed {results.Count(r => !r.Passed)} of {results.Count} probes ({failed.Describe()}, tolerance {Tolerance:0.0e+00})");
        if (failed is not null)
        {
            return new Bf16Decision(false, reason, results, clock.Elapsed.TotalMilliseconds);
        }

        double ratio = SpeedRatio();
        reason += string.Create(CultureInfo.InvariantCulture, $"; a VGG-sized convolution runs {ratio:0.00}x as fast as fp32");
        return new Bf16Decision(true, reason, results, clock.Elapsed.TotalMilliseconds, ratio);
    }

    /// <summary>
    /// fp32's time over bf16's for conv 64->64 3x3 on 64x64, forward and input gradient, the precisions alternating,
    /// medians of 5 after a warm-up (about 0.1 s in all).
    /// </summary>
    public static double SpeedRatio()
    {
        using var scope = torch.NewDisposeScope();
        using var grad = torch.enable_grad();
        var generator = new torch.Generator(7);
        torch.Tensor image = torch.randn([1, 64, 64, 64], generator: generator);
        torch.Tensor weight32 = torch.randn([64, 64, 3, 3], generator: generator) * 0.05;
        torch.Tensor weight16 = weight32.to(torch.ScalarType.BFloat16);
        double Once(torch.Tensor weight)
        {
            var clock = Stopwatch.StartNew();
            using var inner = torch.NewDisposeScope();
            torch.Tensor x = image.clone().requires_grad_();
            torch.Tensor input = weight.dtype == torch.ScalarType.BFloat16 ? x.to(torch.ScalarType.BFloat16) : x;
            torch.nn.functional.conv2d(input, weight, padding: [1, 1]).to(torch.ScalarType.Float32).sum().backward();
            return clock.Elapsed.TotalSeconds;
        }

        Once(weight32);
        Once(weight16);
        var fp32 = new List<double>();
        var bf16 = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            fp32.Add(Once(weight32));
            bf16.Add(Once(weight16));
        }

        return fp32.Order().ElementAt(2) / bf16.Order().ElementAt(2);
    }

    private static ConvolutionCase Conv(int batch, int inChannels, int outChannels, int height, int width, int seed) =>
        new(batch, inChannels, outChannels, height, width, (3, 3), new ConvGeometry((1, 1), (1, 1), (1, 1), 1), bias: true, transposed: false, seed, bfloat16: true);
}
