using System.Text.Json;
using NeuralStyle.Kernels;
using NeuralStyle.Runtime;
using NeuralStyle.Tests.Cli;
using NeuralStyle.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Runtime;

/// <summary>
/// The start-up guard's logic on any CPU: a fault injected into the probes' results (as if oneDNN were wrong here)
/// must make it disable oneDNN, read the switch back, re-check, and leave runs that still match the references.
/// Every test puts the guard back to its real decision afterwards.
/// </summary>
public sealed class KernelGuardTests(ITestOutputHelper log) : IDisposable
{
    private readonly KernelConfiguration _before = KernelGuard.Current;
    private readonly OneDnnPolicy _policy = TorchRuntime.Report!.Guard.Policy;

    public void Dispose()
    {
        // The real decision for this CPU (and NEURALSTYLE_ONEDNN), as the module initialiser made it.
        RuntimeReport report = TorchRuntime.RerunGuard(_policy);
        Assert.Equal(_before, report.Guard.Configuration);
    }

    [Fact]
    public void The_real_decision_follows_its_probes()
    {
        KernelGuardDecision decision = TorchRuntime.Report!.Guard;
        log.WriteLine($"{TorchRuntime.Report.Cpu.Model} ({string.Join(' ', TorchRuntime.Report.Cpu.Extensions)}): {decision.Summary}");
        foreach (KernelCheckResult probe in decision.OneDnnProbes)
        {
            log.WriteLine($"  {(probe.Passed ? "ok    " : "FAILED")} {probe.Describe()}");
        }

        Assert.True(decision.Reliable, decision.Reason);
        Assert.Equal(decision.Policy == OneDnnPolicy.Auto ? KernelSamples.GuardProbes().Count : 0, decision.OneDnnProbes.Count);
        bool keep = decision.Policy == OneDnnPolicy.Auto && decision.OneDnnProbes.All(p => p.Passed);
        Assert.Equal(keep ? KernelConfiguration.OneDnn : KernelConfiguration.NoOneDnn, decision.Configuration);
        Assert.Equal(decision.Configuration, KernelGuard.Current);
        Assert.All(decision.ChosenProbes, p => Assert.True(p.Passed, p.Describe()));
        Assert.False(LibTorchNative.NnpackEnabled);
    }

    [Fact]
    public void A_wrong_oneDNN_convolution_makes_the_guard_disable_oneDNN()
    {
        // As measured on a Zen 5 CPU: the 24-channel convolution at batch 2 misses part of its sum under oneDNN only.
        KernelGuardDecision decision = TorchRuntime.RerunGuard(OneDnnPolicy.Auto, WrongUnderOneDnn).Guard;
        log.WriteLine(decision.Summary);

        Assert.Equal(KernelConfiguration.NoOneDnn, decision.Configuration);
        Assert.False(LibTorchNative.OneDnnEnabled, "the switch must have reached LibTorch");
        Assert.True(decision.Reliable);
        // The first failing probe is named (on a CPU where oneDNN really is wrong, others may fail too).
        Assert.Contains("oneDNN failed", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("conv2d x[2,24,14,14] w[64,24,3,3] pad 1: ", decision.Reason, StringComparison.Ordinal);
        Assert.Contains(decision.OneDnnProbes, p => !p.Passed && p.Case.StartsWith("conv2d x[2,24,14,14]", StringComparison.Ordinal));
        Assert.All(decision.ChosenProbes, p => Assert.True(p.Passed, p.Describe()));
        Assert.Equal(KernelConfiguration.NoOneDnn, TorchRuntime.EnsureInitialized().Guard.Configuration);
    }

    [Fact]
    public void An_intermittent_NaN_gradient_is_caught_by_the_repetitions()
    {
        // LeNet-5's c3 input gradient was non-finite in some runs only: here the second of the guard's runs.
        int calls = 0;
        Tensor IntermittentNaN(KernelCase c, string output, Tensor result)
        {
            if (KernelGuard.Current == KernelConfiguration.OneDnn && c.Name.StartsWith("conv2d x[2,6,14,14]", StringComparison.Ordinal) && output == "input gradient" && ++calls == 2)
            {
                Tensor poisoned = result.clone();
                poisoned.view(-1)[7] = tensor(float.NaN);
                return poisoned;
            }

            return result;
        }

        KernelGuardDecision decision = TorchRuntime.RerunGuard(OneDnnPolicy.Auto, IntermittentNaN).Guard;
        log.WriteLine(decision.Summary);
        Assert.Equal(KernelConfiguration.NoOneDnn, decision.Configuration);
        KernelCheckResult lenet = Assert.Single(decision.OneDnnProbes, p => p.Case.StartsWith("conv2d x[2,6,14,14]", StringComparison.Ordinal));
        Assert.False(lenet.Passed);
        Assert.True(lenet.Worst.NonFinite);
        Assert.Equal("input gradient", lenet.Worst.Output);
        Assert.True(decision.Reliable);
    }

    [Fact]
    public void After_the_guard_disables_oneDNN_a_run_still_matches_the_PyTorch_reference_and_its_manifest_says_why()
    {
        Assert.Equal(KernelConfiguration.NoOneDnn, TorchRuntime.RerunGuard(OneDnnPolicy.Auto, WrongUnderOneDnn).Guard.Configuration);

        // The tiny-VGG fidelity run (every printed loss within 1% of an independent PyTorch stylize.py).
        new FidelityTests(log).PrintedLossesMatchThePyTorchReference("default");

        using var temp = new TempDirectory();
        string output = temp.File("out.png");
        CliRun run = CliRun.Invoke("--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
            "--styles", Fixtures.TinyVgg("style1.png"), "--iterations", "2", "--output", output);
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(temp.File("out.json")));
        JsonElement kernels = manifest.RootElement.GetProperty("kernels");
        Assert.Equal("oneDNN off", kernels.GetProperty("configuration").GetString());
        Assert.True(kernels.GetProperty("reliable").GetBoolean());
        Assert.Contains("conv2d x[2,24,14,14]", kernels.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(TorchRuntime.Report!.Cpu.Model, kernels.GetProperty("cpu").GetString());
    }

    [Fact]
    public void When_no_configuration_is_right_runs_refuse_to_start_with_one_line()
    {
        KernelGuardDecision decision = TorchRuntime.RerunGuard(OneDnnPolicy.Auto, AlwaysWrong).Guard;
        log.WriteLine(decision.Summary);
        Assert.False(decision.Reliable);
        Assert.Contains("LibTorch's own kernels fail too", decision.Reason, StringComparison.Ordinal);
        Assert.Throws<KernelCheckException>(() => TorchRuntime.EnsureInitialized());

        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke("--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
            "--styles", Fixtures.TinyVgg("style1.png"), "--iterations", "2", "--output", temp.File("out.png"));
        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("neural-style: error: LibTorch's kernels give wrong results on this CPU", line, StringComparison.Ordinal);
        Assert.Contains("neural-style doctor", line, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("out.png")));
        Assert.False(File.Exists(temp.File("out.json")));
    }

    [Fact]
    public void Policy_off_disables_oneDNN_without_trying_it()
    {
        KernelGuardDecision decision = TorchRuntime.RerunGuard(OneDnnPolicy.Off).Guard;
        Assert.Equal(KernelConfiguration.NoOneDnn, decision.Configuration);
        Assert.Empty(decision.OneDnnProbes);
        Assert.Equal(KernelSamples.GuardProbes().Count, decision.ChosenProbes.Count);
        Assert.StartsWith("disabled by policy", decision.Reason, StringComparison.Ordinal);
        Assert.False(LibTorchNative.OneDnnEnabled);
    }

    [Fact]
    public void Apply_switches_and_reads_back()
    {
        KernelGuard.Apply(KernelConfiguration.NoOneDnn);
        Assert.False(LibTorchNative.OneDnnEnabled);
        KernelGuard.Apply(KernelConfiguration.OneDnn);
        Assert.True(LibTorchNative.OneDnnEnabled);
    }

    // A 1% error in one element: far above float32 rounding, like a missing kernel tap.
    private static Tensor WrongUnderOneDnn(KernelCase c, string output, Tensor result) =>
        KernelGuard.Current == KernelConfiguration.OneDnn && c.Name.StartsWith("conv2d x[2,24,14,14]", StringComparison.Ordinal) && output == "output"
            ? Perturbed(result)
            : result;

    private static Tensor AlwaysWrong(KernelCase c, string output, Tensor result) =>
        c.Name.StartsWith("conv2d x[2,24,14,14]", StringComparison.Ordinal) && output == "output" ? Perturbed(result) : result;

    private static Tensor Perturbed(Tensor result)
    {
        Tensor wrong = result.clone();
        wrong.view(-1)[3] += 0.01 * result.abs().max();
        return wrong;
    }
}
