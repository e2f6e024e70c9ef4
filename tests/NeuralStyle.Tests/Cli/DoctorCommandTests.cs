using System.Text.Json;
using NeuralStyle.Cli;
using NeuralStyle.Kernels;
using NeuralStyle.Runtime;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

public class DoctorCommandTests
{
    [Fact]
    public void Json_report_has_the_versions_the_cpu_the_decision_and_every_case()
    {
        CliRun run = CliRun.Invoke("doctor", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Error);
        using JsonDocument doc = JsonDocument.Parse(run.Output);
        JsonElement report = doc.RootElement.GetProperty("report");
        Assert.Equal("0.107.0", report.GetProperty("torchSharp").GetString());
        Assert.StartsWith("2.10", report.GetProperty("libTorch").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("3.", report.GetProperty("oneDnn").GetString(), StringComparison.Ordinal);
        Assert.Equal(TorchRuntime.Report!.Cpu.Model, report.GetProperty("cpu").GetProperty("model").GetString());
        Assert.Equal("error", report.GetProperty("nativeLogLevel").GetString());
        JsonElement guard = report.GetProperty("guard");
        Assert.Equal(TorchRuntime.Report.Guard.Configuration.ToString(), guard.GetProperty("configuration").GetString());
        Assert.True(guard.GetProperty("reliable").GetBoolean());

        JsonElement selfCheck = doc.RootElement.GetProperty("selfCheck");
        Assert.True(selfCheck.GetProperty("passed").GetBoolean());
        JsonElement[] cases = [.. selfCheck.GetProperty("cases").EnumerateArray()];
        Assert.Equal(KernelSamples.DoctorSample().Count, cases.Length);
        string[] operations = [.. cases.Select(c => c.GetProperty("operation").GetString()!).Distinct()];
        Assert.Equal(["conv2d", "conv_transpose2d", "linear", "max_pool2d", "avg_pool2d", "batch_norm"], operations);
        Assert.True(selfCheck.GetProperty("seconds").GetDouble() < 30);

        // The bf16 check: what this CPU has, the probes against the tolerance, the speed probe and auto's choice.
        Bf16Decision decision = Bf16Guard.Current;
        JsonElement bf16 = doc.RootElement.GetProperty("bf16");
        bool native = Bf16Guard.NativeExtensions.Any(TorchRuntime.Report.Cpu.Extensions.Contains);
        Assert.Equal(native, bf16.GetProperty("native").GetBoolean());
        Assert.Equal(decision.Usable, bf16.GetProperty("usable").GetBoolean());
        Assert.Equal(Bf16Guard.Tolerance, bf16.GetProperty("tolerance").GetDouble());
        Assert.Equal(decision.WorthIt ? "bf16" : "fp32", bf16.GetProperty("autoChooses").GetString());
        if (native)
        {
            Assert.Equal(Bf16Guard.Probes().Count, bf16.GetProperty("probes").GetInt32());
            Assert.InRange(bf16.GetProperty("worstRelativeError").GetDouble(), 1e-6, Bf16Guard.Tolerance);
            Assert.True(bf16.GetProperty("speedRatio").GetDouble() > 0);
        }
        else
        {
            Assert.Equal(0, bf16.GetProperty("probes").GetInt32());
        }
    }

    [Fact]
    public void The_bf16_check_is_reported_in_words_native_or_not()
    {
        var slower = new Bf16Decision(true, "avx512_bf16; all 6 agree", [.. Bf16Guard.Current.Probes], 12, SpeedRatio: 0.73);
        var refused = new Bf16Decision(false, "the CPU (Old Xeon) has neither avx512_bf16 nor amx_bf16", [], 0);
        try
        {
            DoctorCommand.Bf16Source = () => slower;
            CliRun here = CliRun.Invoke("doctor");
            Assert.True(here.ExitCode == 0, here.Error);
            string[] lines = here.Output.Split('\n');
            if (Bf16Guard.NativeExtensions.Any(TorchRuntime.Report!.Cpu.Extensions.Contains))
            {
                Assert.Contains(lines, l => l.StartsWith("bf16:        native (avx512_bf16", StringComparison.Ordinal));
                Assert.Contains(lines, l => l.StartsWith("  start-up check: 6 of 6 bf16 convolution probes agree with float64, worst relative error ", StringComparison.Ordinal) && l.EndsWith("(tolerance 1.0e-02)", StringComparison.Ordinal));
            }

            Assert.Contains("  speed probe:    a VGG-sized convolution in bf16 runs 0.73x as fast as fp32 (auto needs 1.2x)", here.Output, StringComparison.Ordinal);
            Assert.Contains("  --precision auto would choose fp32 here", here.Output, StringComparison.Ordinal);

            DoctorCommand.Bf16Source = () => refused;
            CliRun old = CliRun.Invoke("doctor");
            Assert.True(old.ExitCode == 0, old.Error);
            Assert.DoesNotContain("start-up check", old.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("speed probe", old.Output, StringComparison.Ordinal);
            Assert.Contains("  --precision auto would choose fp32 here", old.Output, StringComparison.Ordinal);
        }
        finally
        {
            DoctorCommand.Bf16Source = null;
        }
    }

    [Fact]
    public void A_kernel_that_disagrees_is_named_and_the_exit_code_is_1()
    {
        DoctorCommand.SelfCheckFault = (c, output, result) =>
            c.Operation == "avg_pool2d" && output == "input gradient" ? result * 1.001 : result;
        try
        {
            CliRun run = CliRun.Invoke("doctor");
            Assert.Equal(1, run.ExitCode);
            string line = Assert.Single(run.ErrorLines);
            Assert.StartsWith("neural-style: error: kernel disagrees with float64: avg_pool2d x[2,8,15,15] kernel 3 stride 2 pad 1 ceil exclude pad: input gradient relative error", line, StringComparison.Ordinal);
            Assert.Contains("    FAILED avg_pool2d x[2,8,15,15]", run.Output, StringComparison.Ordinal);
            Assert.Contains("  avg_pool2d          0 of   1 agree", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            DoctorCommand.SelfCheckFault = null;
        }
    }

    [Fact]
    public void Threads_must_be_positive()
    {
        CliRun run = CliRun.Invoke("doctor", "--threads", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("neural-style: error: --threads must be positive (got 0)", Assert.Single(run.ErrorLines));
    }
}
