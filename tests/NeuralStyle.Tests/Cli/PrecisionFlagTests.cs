using System.Text.Json;
using NeuralStyle.Backbones;
using NeuralStyle.Runtime;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>
/// <c>--precision</c> on the command line: recorded in the manifest (asked, used, why), kept by a resumed run and
/// matched as resolved, refused with one line for backbones without a bf16 path (the bundled ResNet-18, a zoo model),
/// and auto's fallback said on the console.
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
    public void Bf16_with_a_backbone_without_a_bf16_path_is_a_usage_error_naming_it()
    {
        using var temp = new TempDirectory();
        string[] images = ["--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"), "--width", "64", "--iterations", "1", "--output", temp.File("o.png")];
        CliRun resnet = CliRun.Invoke(["--network", BundledResNet18.DefaultPath, "--precision", "bf16", .. images]);
        Assert.Equal(2, resnet.ExitCode);
        string line = resnet.ErrorLines.Single(l => l.StartsWith("neural-style: error:", StringComparison.Ordinal));
        Assert.Contains("--precision bf16: the backbone ", line, StringComparison.Ordinal);
        Assert.Contains("ResNet-18", line, StringComparison.Ordinal);
        Assert.Contains("has no bf16 path (only VGG has); use --precision fp32 or auto", line, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("o.png")));
        Assert.False(File.Exists(temp.File("o.json")));

        CliRun zoo = CliRun.Invoke(["--network", "squeezenet1_1", "--weights", reference.Run.StateDict, "--precision", "bf16", .. images]);
        Assert.Equal(2, zoo.ExitCode);
        Assert.Contains("--precision bf16: the backbone squeezenet1_1", zoo.ErrorLines.Single(l => l.StartsWith("neural-style: error:", StringComparison.Ordinal)), StringComparison.Ordinal);

        // auto runs in fp32 and says why.
        CliRun auto = CliRun.Invoke(["--network", BundledResNet18.DefaultPath, "--precision", "auto", "--scales", "1", .. images]);
        Assert.True(auto.ExitCode == 0, auto.Error);
        Assert.Contains("Precision: fp32 (auto chose fp32: the backbone ", auto.Error, StringComparison.Ordinal);
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
