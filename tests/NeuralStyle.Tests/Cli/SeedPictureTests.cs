using System.Globalization;
using System.Text.Json;
using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>
/// The seed's recipe is untouched by the picture options of issue 12: <c>--recipe seed</c> runs with the seed's
/// picture settings whatever the backbone's own, and the seed's runs on the tiny VGG write the bytes the CLI wrote
/// before those options existed (golden-seed-*.png, made by tests/fixture-scripts/make_seed_golden.sh).
/// </summary>
public class SeedPictureTests
{
    private static readonly string[] ResNet18 = ["--network", BundledResNet18.DefaultPath, "--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"), "--width", "64", "--iterations", "1", "--seed", "3", "--threads", "1"];

    [Fact]
    public void Recipe_seed_runs_the_bundled_ResNet18_with_the_seeds_picture_settings_not_its_own()
    {
        Assert.NotNull(BundledResNet18.Defaults.Picture);
        using var temp = new TempDirectory();
        CliRun seed = CliRun.Invoke([.. ResNet18, "--recipe", "seed", "--output", temp.File("seed.png")]);
        Assert.True(seed.ExitCode == 0, seed.Error);
        CliRun ours = CliRun.Invoke([.. ResNet18, "--recipe", "ours", "--scales", "1", "--output", temp.File("ours.png")]);
        Assert.True(ours.ExitCode == 0, ours.Error);

        // What the engine ran with (the manifest's options) and what a resume keeps (its spec).
        Assert.Equal(("pixel", false, "0 1 1 0", 0.0), Recorded(temp.File("seed.json")));
        // Without the seed's recipe the same backbone's own settings are used: the check above can tell them apart.
        Assert.Equal(("pixel", true, "0 0.97 1.03 2", 400.0), Recorded(temp.File("ours.json")));
    }

    [Theory]
    [InlineData("noise", "--seed", "7")]
    [InlineData("content", "--initial", "content.png", "--iterations", "50")]
    public void The_seeds_run_on_the_tiny_VGG_writes_the_bytes_it_wrote_before_the_picture_options(string name, params string[] extra)
    {
        using var temp = new TempDirectory();
        string[] args = [.. extra.Select(a => a.EndsWith(".png", StringComparison.Ordinal) ? Fixtures.TinyVgg(a) : a)];
        CliRun run = CliRun.Invoke([
            "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"), "--styles", Fixtures.TinyVgg("style1.png"),
            "--recipe", "seed", "--threads", "1", "--output", temp.File("o.png"), .. args]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(("pixel", false, "0 1 1 0", 0.0), Recorded(temp.File("o.json")));
        // Byte-identical on the Xeon the golden images were made on (also with 2 threads and with oneDNN off). Another
        // CPU's GEMM kernels may round differently, and 100 Adam steps can carry that to a level or two in a few
        // pixels. What this guards against moves the whole picture: a 1-degree rotation, decorrelated colour or the
        // ResNet-18's chroma TV of 400 leaking into the seed's run change the noise run by 67, 63 and 17 levels on average.
        RgbImage golden = ImageReader.Read(Fixtures.TinyVgg($"golden-seed-{name}.png"));
        RgbImage written = ImageReader.Read(temp.File("o.png"));
        Assert.Equal((golden.Width, golden.Height), (written.Width, written.Height));
        double[] differences = [.. golden.Pixels.Zip(written.Pixels, (a, b) => (double)Math.Abs(a - b))];
        Assert.True(
            differences.Max() <= 8 && differences.Average() <= 0.25,
            $"the seed's {name} run moved from golden-seed-{name}.png: largest difference {differences.Max()} levels, mean {differences.Average():F3}");
    }

    // Parameterisation, decorrelation, transforms (jitter, scale range, rotation) and chroma TV weight from the
    // manifest's options, checked to agree with its spec.
    private static (string, bool, string, double) Recorded(string manifest)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(manifest));
        JsonElement settings = doc.RootElement.GetProperty("options").GetProperty("settings");
        var options = (settings.GetProperty("parameterization").GetString()!, settings.GetProperty("decorrelateColors").GetBoolean(), Transforms(settings.GetProperty("robustness")), settings.GetProperty("chromaTvWeight").GetDouble());

        JsonElement p = doc.RootElement.GetProperty("spec").GetProperty("picture");
        Assert.Equal(options, (p.GetProperty("parameterization").GetString()!.ToLowerInvariant(), p.GetProperty("decorrelateColors").GetBoolean(), Transforms(p), p.GetProperty("chromaTvWeight").GetDouble()));
        return options;
    }

    private static string Transforms(JsonElement e) =>
        string.Join(' ', new[] { "jitterPixels", "scaleMin", "scaleMax", "rotationDegrees" }.Select(n => e.GetProperty(n).GetDouble().ToString(CultureInfo.InvariantCulture)));
}
