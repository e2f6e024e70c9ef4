using System.Globalization;
using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>The picture settings as a run records them (manifest options and spec, the state's origin) and as --resume checks them.</summary>
public class PictureRecordTests
{
    private static string[] Run(string output, int iterations, params string[] extra) =>
    [
        "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
        "--styles", Fixtures.TinyVgg("style1.png"), "--output", output, "--iterations", iterations.ToString(CultureInfo.InvariantCulture),
        "--checkpoint-iterations", "5", "--seed", "11", "--threads", "1", "--recipe", "seed", .. extra,
    ];

    private static readonly string[] AllFlags = ["--parameterization", "fourier", "--decorrelate-colors", "--jitter", "2", "--scale-range", "0.9", "1.1", "--rotation", "5", "--chroma-tv-weight", "3"];

    [Fact]
    public void The_manifest_records_the_values_resolved_in_its_options_and_its_spec()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke(Run(temp.File("o.png"), 2, AllFlags));
        Assert.True(run.ExitCode == 0, run.Error);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(temp.File("o.json")));
        JsonElement settings = doc.RootElement.GetProperty("options").GetProperty("settings");
        Assert.Equal("fourier", settings.GetProperty("parameterization").GetString());
        Assert.True(settings.GetProperty("decorrelateColors").GetBoolean());
        JsonElement robustness = settings.GetProperty("robustness");
        Assert.Equal((2.0, 0.9, 1.1, 5.0), (robustness.GetProperty("jitterPixels").GetDouble(), robustness.GetProperty("scaleMin").GetDouble(), robustness.GetProperty("scaleMax").GetDouble(), robustness.GetProperty("rotationDegrees").GetDouble()));
        Assert.Equal(3, settings.GetProperty("chromaTvWeight").GetDouble());

        JsonElement picture = doc.RootElement.GetProperty("spec").GetProperty("picture");
        Assert.Equal("Fourier", picture.GetProperty("parameterization").GetString());
        Assert.Equal(5, picture.GetProperty("rotationDegrees").GetDouble());
    }

    [Fact]
    public void Without_flags_the_manifest_records_the_backbones_values_not_nulls()
    {
        // The tiny VGG has no picture defaults of its own: the seed's are recorded, so a resume keeps them.
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke([.. Run(temp.File("o.png"), 1)[..^2], "--recipe", "ours", "--scales", "1"]);
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(temp.File("o.json")));
        JsonElement picture = doc.RootElement.GetProperty("spec").GetProperty("picture");
        Assert.Equal("Pixel", picture.GetProperty("parameterization").GetString());
        Assert.False(picture.GetProperty("decorrelateColors").GetBoolean());
        Assert.Equal([0.0, 1, 1, 0, 0], new[] { "jitterPixels", "scaleMin", "scaleMax", "rotationDegrees", "chromaTvWeight" }.Select(p => picture.GetProperty(p).GetDouble()));
    }

    [Theory]
    [InlineData("--parameterization pixel, this run has fourier", "--parameterization", "fourier")]
    [InlineData("--parameterization pixel, this run has pyramid", "--parameterization", "pyramid")]
    [InlineData("--decorrelate-colors off, this run has on", "--decorrelate-colors")]
    [InlineData("--jitter 0, this run has 2", "--jitter", "2")]
    [InlineData("--scale-range 1 1, this run has 0.9 1.1", "--scale-range", "0.9", "1.1")]
    [InlineData("--rotation 0, this run has 5", "--rotation", "5")]
    [InlineData("--chroma-tv-weight 0, this run has 3", "--chroma-tv-weight", "3")]
    public void Resume_refuses_another_picture_setting(string reason, params string[] flag)
    {
        using var temp = new TempDirectory();
        HalfRun(temp);
        CliRun changed = CliRun.Invoke(["--resume", temp.File("half.json"), "--iterations", "9", .. flag]);
        Assert.Equal(2, changed.ExitCode);
        string line = Assert.Single(changed.ErrorLines);
        Assert.StartsWith($"neural-style: error: cannot resume: {temp.File("half.state")} was saved with {reason}; ", line);
    }

    [Fact]
    public void Resume_keeps_the_picture_settings_the_run_was_made_with()
    {
        using var temp = new TempDirectory();
        HalfRun(temp, "--decorrelate-colors", "off", "--jitter", "2", "--scale-range", "0.9", "1.1", "--chroma-tv-weight", "3");
        CliRun resumed = CliRun.Invoke(["--resume", temp.File("half.json"), "--iterations", "8"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(temp.File("half.json")));
        Assert.Equal(2, doc.RootElement.GetProperty("options").GetProperty("settings").GetProperty("robustness").GetProperty("jitterPixels").GetDouble());
    }

    [Fact]
    public void A_state_saved_before_the_picture_settings_resumes_as_pixels_only()
    {
        using var temp = new TempDirectory();
        HalfRun(temp);
        // What the state's origin held before these options existed: none of them.
        string[] later = ["--parameterization", "--decorrelate-colors", "--jitter", "--scale-range", "--rotation"];
        using (TransferState state = TransferStateFile.Read(temp.File("half.state")))
        {
            TransferStateOrigin o = state.Origin!;
            Assert.All(later, k => Assert.True(o.Options.ContainsKey(k), k));
            var older = o with { Options = o.Options.Where(p => !later.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value) };
            TransferStateFile.Write(state, older, temp.File("half.state"));
        }

        CliRun fourier = CliRun.Invoke(["--resume", temp.File("half.json"), "--iterations", "8", "--parameterization", "fourier"]);
        Assert.Equal(2, fourier.ExitCode);
        Assert.Contains("was saved with --parameterization pixel, this run has fourier", Assert.Single(fourier.ErrorLines), StringComparison.Ordinal);

        CliRun same = CliRun.Invoke(["--resume", temp.File("half.json"), "--iterations", "8"]);
        Assert.True(same.ExitCode == 0, same.Error);
    }

    private static void HalfRun(TempDirectory temp, params string[] extra)
    {
        CliRun half = CliRun.Invoke(Run(temp.File("half.png"), 6, extra));
        Assert.True(half.ExitCode == 0, half.Error);
    }
}
