using System.Diagnostics;
using System.Text.RegularExpressions;
using NeuralStyle.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Cli;

/// <summary>
/// The console is the program's: a real process (the built neural-style, its own standard error, native writes
/// included) prints nothing but the documented lines.
/// </summary>
public partial class QuietConsoleTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData("seed")]
    [InlineData("ours")]
    public void A_run_prints_only_its_documented_lines(string recipe)
    {
        using var temp = new TempDirectory();
        (int code, string stdout, string stderr) = RunCli(
            "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
            "--styles", Fixtures.TinyVgg("style1.png"), Fixtures.TinyVgg("style2.png"), "--iterations", "4", "--print-iterations", "2",
            "--checkpoint-iterations", "2", "--checkpoint-output", temp.File("out%s.png"), "--output", temp.File("out.png"),
            "--recipe", recipe, "--min-size", "16", "--coarse-iterations", "2", "--seed", "3");
        log.WriteLine(stderr);
        Assert.True(code == 0, stderr);
        Assert.Equal("", stdout);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Network: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Memory: estimated peak ", lines[1], StringComparison.Ordinal);
        Assert.All(lines.Skip(2), line => Assert.True(Documented().IsMatch(line), $"undocumented console line: '{line}'"));
        Assert.Contains(lines, l => l == "Iteration 4/4");
    }

    [Fact]
    public void Doctor_prints_its_report_on_standard_output_and_nothing_on_standard_error()
    {
        (int code, string stdout, string stderr) = RunCli("doctor");
        log.WriteLine(stdout);
        Assert.True(code == 0, stderr + stdout);
        Assert.Equal("", stderr);
        Assert.Contains("Kernels:     oneDNN o", stdout, StringComparison.Ordinal);
        Assert.Matches(@"Self-check: (\d+) of \1 cases agree with float64", stdout);
    }

    [Fact]
    public void The_oneDNN_switch_reaches_LibTorchs_dispatch()
    {
        // oneDNN's own trace (ONEDNN_VERBOSE=1, on standard output) lists every primitive it executes.
        (int code, string auto, string autoErrors) = RunCli(new Dictionary<string, string> { ["ONEDNN_VERBOSE"] = "1" }, "doctor");
        Assert.True(code == 0, autoErrors);
        int autoConvolutions = Regex.Count(auto, @"onednn_verbose,[^\n]*,exec,cpu,convolution,");
        bool kept = auto.Contains("Kernels:     oneDNN on", StringComparison.Ordinal);
        log.WriteLine($"guard kept oneDNN: {kept}; oneDNN convolutions executed: {autoConvolutions}");
        Assert.True(kept ? autoConvolutions > 0 : autoConvolutions == 0, $"guard kept oneDNN: {kept}, yet oneDNN ran {autoConvolutions} convolutions");

        (code, string off, string offErrors) = RunCli(new Dictionary<string, string> { ["ONEDNN_VERBOSE"] = "1", ["NEURALSTYLE_ONEDNN"] = "off" }, "doctor");
        Assert.True(code == 0, offErrors);
        Assert.Contains("Kernels:     oneDNN off: disabled by policy", off, StringComparison.Ordinal);
        Assert.DoesNotContain(",exec,cpu,", off, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_NEURALSTYLE_ONEDNN_value_is_one_line_and_exit_1()
    {
        (int code, string stdout, string stderr) = RunCli(new Dictionary<string, string> { ["NEURALSTYLE_ONEDNN"] = "fast" }, "doctor");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal("neural-style: error: NEURALSTYLE_ONEDNN must be auto or off (got 'fast')", stderr.TrimEnd('\n'));
    }

    // Seed lines, plus our documented "Scale k/N: WxH, M iterations" before each scale.
    [GeneratedRegex(@"^(Iteration \d+/\d+|  (content|style|tv|total) loss: \S+|Scale \d+/\d+: \d+x\d+, \d+ iterations)$")]
    private static partial Regex Documented();

    private static (int Code, string Stdout, string Stderr) RunCli(params string[] args) => CliProcess.Run(args);

    private static (int Code, string Stdout, string Stderr) RunCli(Dictionary<string, string> environment, params string[] args) => CliProcess.Run(environment, args);
}
