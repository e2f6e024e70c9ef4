using NeuralStyle.Kernels;
using NeuralStyle.Runtime;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Runtime;

/// <summary>
/// The start-up check of the bf16 engine path: refused on a CPU without native bfloat16 (a described CPU, not this
/// one), refused when a probe's result is wrong (a fault seam), and on this CPU the real probes' errors are those of
/// bfloat16 arithmetic, well inside the tolerance.
/// </summary>
public class Bf16GuardTests(ITestOutputHelper log)
{
    private static readonly CpuDescription WithoutBf16 = new("Old Xeon", "GenuineIntel", "family 6 model 85 stepping 4", 2, ["avx2", "avx512f", "avx512bw", "avx512_vnni"]);

    private static CpuDescription WithBf16 => TorchRuntime.EnsureInitialized().Cpu with { Extensions = ["avx512f", "avx512_bf16"] };

    [Fact]
    public void A_CPU_without_native_bf16_is_refused_before_any_probe_runs()
    {
        Bf16Decision decision = Bf16Guard.Decide(WithoutBf16);
        Assert.False(decision.Usable);
        Assert.Empty(decision.Probes);
        Assert.Equal("the CPU (Old Xeon) has neither avx512_bf16 nor amx_bf16", decision.Reason);
    }

    [Fact]
    public void On_this_CPU_the_probes_show_bf16_rounding_inside_the_tolerance()
    {
        CpuDescription cpu = TorchRuntime.EnsureInitialized().Cpu;
        Bf16Decision decision = Bf16Guard.Decide(cpu);
        log.WriteLine($"{cpu.Model} ({string.Join(' ', cpu.Extensions)}): {decision.Summary}");
        foreach (KernelCheckResult probe in decision.Probes)
        {
            log.WriteLine($"  {string.Join(", ", probe.Comparisons.Select(c => $"{c.Output} {c.RelativeError:0.0e+00}"))}  {probe.Case}");
        }

        if (!Bf16Guard.NativeExtensions.Any(cpu.Extensions.Contains))
        {
            Assert.False(decision.Usable);
            return;
        }

        Assert.True(decision.Usable, decision.Reason);
        Assert.Equal(Bf16Guard.Probes().Count, decision.Probes.Count);
        Assert.InRange(decision.SpeedRatio, 0.05, 20);
        Assert.Contains("as fast as fp32", decision.Reason, StringComparison.Ordinal);
        // The error is bfloat16's (8-bit significand: about 2^-9 per rounding), not float32's (1e-6): the probes really
        // computed in bfloat16, and with room below the tolerance.
        Assert.InRange(decision.WorstRelativeError, 1e-4, Bf16Guard.Tolerance / 2);
        Assert.All(decision.Probes, p => Assert.Equal(["output", "input gradient"], p.Comparisons.Select(c => c.Output)));
    }

    [Fact]
    public void A_wrong_bf16_input_gradient_makes_the_check_fail_and_names_the_probe()
    {
        // As a kernel that drops part of its sum: 5% off one probe's input gradient.
        static Tensor Wrong(KernelCase kernelCase, string output, Tensor result) =>
            kernelCase.Name.StartsWith("conv2d x[2,20,", StringComparison.Ordinal) && output == "input gradient" ? result * 1.05 : result;

        Bf16Decision decision = Bf16Guard.Decide(WithBf16, fault: Wrong);
        log.WriteLine(decision.Summary);
        Assert.False(decision.Usable);
        Assert.Contains("failed 1 of 6 probes (conv2d x[2,20,14,14] w[32,20,3,3] pad 1 bf16: input gradient relative error", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_finite_bf16_output_makes_the_check_fail()
    {
        static Tensor Poisoned(KernelCase kernelCase, string output, Tensor result) =>
            output == "output" ? result.clone().index_fill_(0, tensor(new long[] { 0 }), float.NaN) : result;

        Bf16Decision decision = Bf16Guard.Decide(WithBf16, fault: Poisoned);
        Assert.False(decision.Usable);
        Assert.Contains("output non-finite values", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bf16_case_is_a_plain_convolution()
    {
        Assert.Throws<ArgumentException>(() => new ConvolutionCase(1, 4, 4, 6, 6, (3, 3), new NeuralStyle.Kernels.Reference.ConvGeometry((1, 1), (1, 1), (1, 1), 1), transposed: true, bfloat16: true));
    }
}
