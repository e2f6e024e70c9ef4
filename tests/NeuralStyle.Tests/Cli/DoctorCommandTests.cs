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
