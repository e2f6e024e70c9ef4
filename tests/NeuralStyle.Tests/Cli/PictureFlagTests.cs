using System.CommandLine;
using NeuralStyle.Cli;
using NeuralStyle.Jobs;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Parameterizations;
using NeuralStyle.Transfer.Robustness;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>
/// The picture flags (--parameterization, --decorrelate-colors, --jitter, --scale-range, --rotation, --chroma-tv-weight):
/// their usage errors, and how each value is chosen: the flag, else the seed's with --recipe seed, else the
/// backbone's, else the seed's.
/// </summary>
public class PictureFlagTests
{
    // A backbone with defaults of its own, different from the bundled ResNet-18's.
    private static readonly PictureDefaults Backbone = new(ImageParameterization.Fourier, true, new TransformRobustness(4, 0.9, 1.1, 5), 50);

    private static readonly string[] Inputs = ["--content", "c.png", "--styles", "s.png", "--output", "o.png"];

    private static StyleJobSpec Bind(params string[] extra) => BindOver(null, [.. Inputs, .. extra]);

    private static StyleJobSpec BindOver(StyleJobSpec? recorded, string[] args)
    {
        var commands = new AppCommands(resuming: recorded is not null);
        ParseResult parsed = commands.Root.Parse(args);
        Assert.Empty(parsed.Errors);
        return commands.Style.Bind(parsed, recorded);
    }

    private static PictureDefaults PictureOf(StyleTransferSettings s) => new(s.Parameterization, s.DecorrelateColors, s.Robustness, s.ChromaTvWeight);

    [Theory]
    [InlineData("--jitter must not be negative (got -1)", "--jitter", "-1")]
    [InlineData("--jitter must be a finite number (got NaN)", "--jitter", "nan")]
    [InlineData("--jitter must be at most 256 pixels (got 300)", "--jitter", "300")]
    [InlineData("--jitter expects a number, got 'two'", "--jitter", "two")]
    [InlineData("--scale-range takes two numbers, MIN MAX (got 1)", "--scale-range", "1.1")]
    [InlineData("--scale-range takes two numbers, MIN MAX (got 3)", "--scale-range", "0.9", "1", "1.1")]
    [InlineData("--scale-range takes two numbers, MIN MAX (got 0)", "--scale-range")]
    [InlineData("--scale-range must be MIN MAX with 0.25 <= MIN <= MAX <= 4 (got 1.2 0.8)", "--scale-range", "1.2", "0.8")]
    [InlineData("--scale-range must be MIN MAX with 0.25 <= MIN <= MAX <= 4 (got 0.1 1)", "--scale-range", "0.1", "1")]
    [InlineData("--scale-range minimum must be positive (got 0)", "--scale-range", "0", "1")]
    [InlineData("--scale-range maximum must be a finite number (got Infinity)", "--scale-range", "1", "inf")]
    [InlineData("--scale-range expects a number, got 'x'", "--scale-range", "1", "x")]
    [InlineData("--rotation must not be negative (got -5)", "--rotation", "-5")]
    [InlineData("--rotation must be at most 45 degrees (got 90)", "--rotation", "90")]
    [InlineData("--parameterization expects pixel, fourier or pyramid, got 'wavelet'", "--parameterization", "wavelet")]
    [InlineData("--decorrelate-colors expects on or off, got 'yes'", "--decorrelate-colors", "yes")]
    [InlineData("--chroma-tv-weight must not be negative (got -1)", "--chroma-tv-weight", "-1")]
    [InlineData("--chroma-tv-weight must not be negative (got -1)", "--recipe", "seed", "--chroma-tv-weight", "-1")]
    [InlineData("--chroma-tv-weight 1e+39 is too large: the engine computes in 32-bit floats, where it is infinite (the largest is 3.4e38)", "--chroma-tv-weight", "1e39")]
    // Every other choice flag too: System.CommandLine's own message put each allowed value on a line of its own.
    [InlineData("--pooling expects max or avg, got 'min'", "--pooling", "min")]
    [InlineData("--style-loss expects gram, meanstd, w2 or sliced, got 'lbp'", "--style-loss", "lbp")]
    public void A_bad_value_is_one_line_naming_the_flag_before_any_file_is_read(string message, params string[] extra)
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke(["--network", temp.File("net.mat"), "--content", temp.File("c.png"), "--styles", temp.File("s.png"), "--output", temp.File("o.png"), .. extra]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"neural-style: error: {message}", Assert.Single(run.ErrorLines));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Without_flags_every_picture_setting_is_left_to_the_backbone()
    {
        StyleJobSpec spec = Bind();
        Assert.Equal(PictureChoice.Backbone, spec.Picture);
        Assert.Equal(Backbone, PictureOf(spec.WithPictureResolved(Backbone).Settings));
    }

    [Fact]
    public void Each_flag_reaches_the_settings_the_engine_runs_with()
    {
        StyleJobSpec spec = Bind("--parameterization", "pyramid", "--decorrelate-colors", "--jitter", "3", "--scale-range", "0.8", "1.25", "--rotation", "10", "--chroma-tv-weight", "20")
            .WithPictureResolved(PictureDefaults.Seed);
        StyleTransferSettings s = spec.Settings;
        Assert.Equal(ImageParameterization.Pyramid, s.Parameterization);
        Assert.True(s.DecorrelateColors);
        Assert.Equal(new TransformRobustness(3, 0.8, 1.25, 10), s.Robustness);
        Assert.Equal(20, s.ChromaTvWeight);
        Assert.Equal(new PictureChoice(ImageParameterization.Pyramid, true, 3, 0.8, 1.25, 10, 20), spec.Picture);
    }

    [Theory]
    [InlineData(true, "--decorrelate-colors")]
    [InlineData(true, "--decorrelate-colors", "on")]
    [InlineData(true, "--decorrelate-colors=on")]
    [InlineData(false, "--decorrelate-colors", "off")]
    [InlineData(false, "--decorrelate-colors=off")]
    public void Decorrelation_is_on_alone_and_can_be_turned_off_explicitly(bool on, params string[] flag)
    {
        Assert.Equal(on, Bind(flag).Picture.DecorrelateColors);
        // Off given explicitly wins over a backbone whose default is on.
        Assert.Equal(on, Bind(flag).WithPictureResolved(Backbone).Settings.DecorrelateColors);
    }

    [Fact]
    public void The_flag_wins_then_the_seed_recipe_then_the_backbone_then_the_seed()
    {
        static PictureDefaults Resolved(PictureDefaults? backbone, params string[] flags)
        {
            var defaults = new BackboneDefaults(["c"], ["s"], Picture: backbone);
            return PictureOf(Bind(flags).WithPictureResolved(defaults.EffectivePicture).Settings);
        }

        // The backbone's, for each setting not given.
        Assert.Equal(Backbone, Resolved(Backbone));
        Assert.Equal(Backbone, Resolved(Backbone, "--recipe", "ours"));
        Assert.Equal(Backbone with { Robustness = new TransformRobustness(1, 0.9, 1.1, 5), ChromaTvWeight = 0 }, Resolved(Backbone, "--jitter", "1", "--chroma-tv-weight", "0"));

        // --recipe seed: the seed's for every setting not given, whatever the backbone's.
        Assert.Equal(PictureDefaults.Seed, Resolved(Backbone, "--recipe", "seed"));
        Assert.Equal(PictureDefaults.Seed with { Parameterization = ImageParameterization.Fourier, Robustness = new TransformRobustness(0, 1, 1, 7) }, Resolved(Backbone, "--recipe", "seed", "--parameterization", "fourier", "--rotation", "7"));

        // A backbone without defaults of its own (VGG): the seed's.
        Assert.Equal(PictureDefaults.Seed, Resolved(null));
        Assert.Equal(PictureDefaults.Seed with { DecorrelateColors = true }, Resolved(null, "--decorrelate-colors"));
    }

    [Fact]
    public void A_resumed_run_keeps_its_recorded_values_unless_a_flag_or_the_recipe_is_given_now()
    {
        StyleJobSpec recorded = Bind("--parameterization", "fourier", "--jitter", "2").WithPictureResolved(Backbone);
        var was = new PictureChoice(ImageParameterization.Fourier, true, 2, 0.9, 1.1, 5, 50);
        Assert.Equal(was, recorded.Picture);

        Assert.Equal(was, BindOver(recorded, []).Picture);
        Assert.Equal(was with { RotationDegrees = 0 }, BindOver(recorded, ["--rotation", "0"]).Picture);
        Assert.Equal(PictureChoice.Seed, BindOver(recorded, ["--recipe", "seed"]).Picture);
        Assert.Equal(PictureChoice.Backbone, BindOver(recorded, ["--recipe", "ours"]).Picture);
    }

    [Fact]
    public void A_run_recorded_before_the_picture_settings_resumes_with_the_values_it_ran_with()
    {
        // Its spec has no picture (so none is chosen) and its chroma TV weight in the settings.
        StyleJobSpec old = Bind() with { Picture = PictureChoice.Backbone, Settings = new StyleTransferSettings { ChromaTvWeight = 7 } };
        Assert.Equal(PictureChoice.Seed with { ChromaTvWeight = 7 }, BindOver(old, []).Picture);
        Assert.Equal(PictureChoice.Seed with { ChromaTvWeight = 7, JitterPixels = 1 }, BindOver(old with { Picture = null! }, ["--jitter", "1"]).Picture);
    }

    [Fact]
    public void The_resolved_choice_survives_the_manifests_json()
    {
        StyleJobSpec spec = Bind("--scale-range", "0.5", "2", "--decorrelate-colors", "off").WithPictureResolved(Backbone);
        string json = System.Text.Json.JsonSerializer.Serialize(spec, ManifestRecorder.Json);
        StyleJobSpec back = System.Text.Json.JsonSerializer.Deserialize<StyleJobSpec>(json, ManifestRecorder.Json)!;
        Assert.Equal(spec.Picture, back.Picture);
        Assert.Equal(spec.Settings.Robustness, back.Settings.Robustness);
        Assert.Equal(ImageParameterization.Fourier, back.Settings.Parameterization);
        Assert.False(back.Settings.DecorrelateColors);
    }

    [Fact]
    public void A_library_spec_with_a_value_out_of_range_is_refused_in_one_line()
    {
        StyleJobSpec spec = Bind() with { Picture = PictureChoice.Backbone with { JitterPixels = -2 } };
        Assert.Equal("jitter must not be negative (got -2)", Assert.Throws<JobSpecException>(spec.Validate).Message);
        spec = Bind() with { Picture = PictureChoice.Backbone with { Parameterization = (ImageParameterization)9 } };
        Assert.Equal("parameterization 9 is not one of Pixel, Fourier, Pyramid", Assert.Throws<JobSpecException>(spec.Validate).Message);
    }
}
