using System.Text.Json;
using NeuralStyle.Backbones;
using NeuralStyle.Runtime;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>
/// <c>--precision</c> on the command line: recorded in the manifest (asked, used, why), kept by a resumed run and
/// matched as resolved, given to the bundled ResNet-18 (an ONNX graph) where the CPU allows it, refused with one line
/// for backbones without a bf16 path (a zoo model), and auto's fallback said on the console.
/// </summary>
public class PrecisionFlagTests(ModelsSqueezeNetReference reference) : IClassFixture<ModelsSqueezeNetReference>
{
    // What auto gives on the CPU the tests run on (this machine: fp32, bf16 being right but slower here).
    private static string Native => Bf16Guard.Current.WorthIt ? "bf16" : "fp32";

    private static string[] Tiny(string output, int iterations, params string[] extra) =>
    [
        "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
        "--styles", Fixtures.TinyVgg("style1.png"), "--output", output, "--iterations", iterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--checkpoint-iterations", "3", "--seed", "11", "--threads", "1", "--scales", "1", .. extra,
    ];

    [Fact]
    public void The_manifest_records_the_precision_asked_and_used()
    {
        using var temp = new TempDirectory();
        CliRun auto = CliRun.Invoke(Tiny(temp.File("auto.png"), 3, "--precision", "auto"));
        Assert.True(auto.ExitCode == 0, auto.Error);
        Assert.Contains($"Precision: {Native} (auto chose {Native}: ", auto.Error, StringComparison.Ordinal);
        using (JsonDocument doc = JsonDocument.Parse(File.ReadAllText(temp.File("auto.json"))))
        {
            JsonElement options = doc.RootElement.GetProperty("options");
            Assert.Equal("auto", options.GetProperty("precision").GetProperty("requested").GetString());
            Assert.Equal(Native, options.GetProperty("precision").GetProperty("used").GetString());
            Assert.StartsWith($"auto chose {Native}: ", options.GetProperty("precision").GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal(Native, options.GetProperty("settings").GetProperty("precision").GetString());
        }

        // Without the flag: fp32, as the seed, and no line about it.
        CliRun plain = CliRun.Invoke(Tiny(temp.File("plain.png"), 3));
        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.DoesNotContain("Precision:", plain.Error, StringComparison.Ordinal);
        using JsonDocument record = JsonDocument.Parse(File.ReadAllText(temp.File("plain.json")));
        Assert.Equal("fp32", record.RootElement.GetProperty("options").GetProperty("precision").GetProperty("used").GetString());
    }

    [Fact]
    public void A_resumed_run_keeps_its_precision_and_refuses_another()
    {
        using var temp = new TempDirectory();
        // bf16 where this CPU allows it (this machine), else fp32; then the other one is refused.
        bool bf16 = Bf16Guard.Current.Usable;
        string saved = bf16 ? "bf16" : "fp32", other = bf16 ? "fp32" : "bf16";
        CliRun first = CliRun.Invoke(Tiny(temp.File("o.png"), 3, "--precision", saved));
        Assert.True(first.ExitCode == 0, first.Error);

        CliRun refused = CliRun.Invoke(["--resume", temp.File("o.json"), "--iterations", "6", "--precision", other]);
        Assert.Equal(2, refused.ExitCode);
        string expected = bf16
            ? "was saved with --precision bf16, this run has fp32"
            : "--precision bf16 refused";
        Assert.Contains(expected, refused.ErrorLines.Single(), StringComparison.Ordinal);

        CliRun resumed = CliRun.Invoke(["--resume", temp.File("o.json"), "--iterations", "6"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(temp.File("o.json")));
        Assert.Equal(6, doc.RootElement.GetProperty("completedIterations").GetInt32());
        Assert.Equal(saved, doc.RootElement.GetProperty("options").GetProperty("precision").GetProperty("used").GetString());
    }

    [Fact]
    public void Bf16_with_a_zoo_backbone_is_a_usage_error_naming_it_and_auto_runs_fp32()
    {
        using var temp = new TempDirectory();
        string[] images = ["--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"), "--width", "64", "--iterations", "1", "--output", temp.File("o.png")];
        CliRun zoo = CliRun.Invoke(["--network", "squeezenet1_1", "--weights", reference.Run.StateDict, "--precision", "bf16", .. images]);
        Assert.Equal(2, zoo.ExitCode);
        string line = zoo.ErrorLines.Single(l => l.StartsWith("neural-style: error:", StringComparison.Ordinal));
        Assert.Contains("--precision bf16: the backbone squeezenet1_1", line, StringComparison.Ordinal);
        Assert.Contains("has no bf16 path (VGG and ONNX graphs have); use --precision fp32 or auto", line, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("o.png")));
        Assert.False(File.Exists(temp.File("o.json")));

        // auto runs in fp32 and says why.
        CliRun auto = CliRun.Invoke(["--network", "squeezenet1_1", "--weights", reference.Run.StateDict, "--precision", "auto", "--scales", "1", .. images]);
        Assert.True(auto.ExitCode == 0, auto.Error);
        Assert.Contains("Precision: fp32 (auto chose fp32: the backbone squeezenet1_1", auto.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bundled_ResNet18_runs_in_bf16_where_the_CPU_allows_it_and_the_manifest_says_so()
    {
        using var temp = new TempDirectory();
        string[] images = ["--network", BundledResNet18.DefaultPath, "--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"), "--width", "64", "--iterations", "2", "--scales", "1", "--threads", "1"];
        CliRun bf16 = CliRun.Invoke([.. images, "--precision", "bf16", "--output", temp.File("b.png")]);
        if (Bf16Guard.Current.Usable)
        {
            Assert.True(bf16.ExitCode == 0, bf16.Error);
            Assert.Contains("Precision: bf16 (bf16 as asked: ", bf16.Error, StringComparison.Ordinal);
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(temp.File("b.json")));
            JsonElement precision = doc.RootElement.GetProperty("options").GetProperty("precision");
            Assert.Equal("bf16", precision.GetProperty("requested").GetString());
            Assert.Equal("bf16", precision.GetProperty("used").GetString());
            Assert.Equal("bf16", doc.RootElement.GetProperty("options").GetProperty("settings").GetProperty("precision").GetString());
        }
        else
        {
            // A CPU without native bfloat16: one line, nothing written.
            Assert.Equal(2, bf16.ExitCode);
            Assert.StartsWith("neural-style: error: --precision bf16 refused: ", bf16.ErrorLines.Single(l => l.StartsWith("neural-style: error:", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.False(File.Exists(temp.File("b.json")));
        }

        CliRun auto = CliRun.Invoke([.. images, "--precision", "auto", "--output", temp.File("a.png")]);
        Assert.True(auto.ExitCode == 0, auto.Error);
        Assert.Contains($"Precision: {Native} (auto chose {Native}: ", auto.Error, StringComparison.Ordinal);
        using JsonDocument record = JsonDocument.Parse(File.ReadAllText(temp.File("a.json")));
        Assert.Equal("auto", record.RootElement.GetProperty("options").GetProperty("precision").GetProperty("requested").GetString());
        Assert.Equal(Native, record.RootElement.GetProperty("options").GetProperty("precision").GetProperty("used").GetString());
    }

    [Fact]
    public void An_unknown_precision_is_a_usage_error()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke(Tiny(temp.File("o.png"), 1, "--precision", "fp16"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--precision expects fp32, bf16 or auto, got 'fp16'", run.Error, StringComparison.Ordinal);
    }
}
