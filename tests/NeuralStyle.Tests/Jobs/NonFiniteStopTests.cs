using System.Text.Json;
using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Jobs;

/// <summary>The first NaN or infinity stops a run with its iteration, its term and a cause; the best finite image is kept.</summary>
public class NonFiniteStopTests
{
    private static StyleJobSpec Spec(TempDirectory temp, StyleTransferSettings settings, LossWeightChoice? weights = null, int scales = 1, string? network = null) => new()
    {
        Content = Fixtures.TinyVgg("content.png"),
        Styles = [Fixtures.TinyVgg("style1.png")],
        Network = network ?? Fixtures.TinyVgg("tiny-vgg-current.mat"),
        Output = temp.File("out.png"),
        Scales = scales,
        MinSize = 16,
        CoarseIterations = 3,
        Weights = weights ?? new LossWeightChoice(null, null, null, null),
        Settings = settings,
    };

    private static NonFiniteLossException Fails(StyleJobSpec spec, List<JobEvent> events) =>
        Assert.Throws<NonFiniteLossException>(() => StyleJob.Run(spec, JobContext.None, events.Add));

    [Fact]
    public void A_diverging_learning_rate_stops_at_the_first_non_finite_loss_and_keeps_the_best_image()
    {
        using var temp = new TempDirectory();
        var events = new List<JobEvent>();
        StyleJobSpec spec = Spec(temp, new StyleTransferSettings { Iterations = 20, Seed = 3 }, new LossWeightChoice(null, null, null, 1e30));
        NonFiniteLossException e = Fails(spec, events);

        Assert.Equal(2, e.Iteration);
        Assert.Contains("at iteration 2: the image diverged", e.Message);
        Assert.Contains("--learning-rate", e.Message);
        Assert.Contains($"the best finite image so far (iteration 1, loss", e.Message);
        Assert.EndsWith($"was written to {spec.Output}", e.Message);
        Assert.IsType<JobFailed>(events[^1]);

        // The file is the best image, and the manifest says the run did not complete, and why.
        PictureProduced kept = events.OfType<PictureProduced>().Single();
        Assert.Equal(spec.Output, kept.File);
        RgbImage written = ImageReader.Read(spec.Output);
        Assert.True(written.Pixels.Zip(kept.Picture.Pixels, (a, b) => Math.Abs(a - Math.Clamp(MathF.Round(b), 0, 255))).Max() <= 0.5f);
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(temp.File("out.json")));
        Assert.False(manifest.RootElement.GetProperty("completed").GetBoolean());
        Assert.Equal(e.Message, manifest.RootElement.GetProperty("failure").GetString());
    }

    [Fact]
    public void Lbfgs_evaluations_are_checked_too()
    {
        using var temp = new TempDirectory();
        var settings = new StyleTransferSettings { Iterations = 20, Seed = 3, Optimizer = OptimizerKind.Lbfgs, LbfgsHistory = 5 };
        NonFiniteLossException e = Fails(Spec(temp, settings, new LossWeightChoice(null, null, null, 1e30)), []);
        Assert.Contains("the image diverged", e.Message);
        Assert.True(File.Exists(temp.File("out.png")));
    }

    [Fact]
    public void An_overflowing_style_weight_names_the_style_term_and_its_weight()
    {
        using var temp = new TempDirectory();
        NonFiniteLossException e = Fails(Spec(temp, new StyleTransferSettings { Iterations = 5, Seed = 3 }, new LossWeightChoice(null, 3e38, null, null)), []);
        Assert.Equal(1, e.Iteration);
        Assert.Equal("style", e.Term);
        Assert.Contains("the style loss became infinite at iteration 1: the style term overflowed float32: --style-weight 3E+38 is too large", e.Message);
        Assert.EndsWith("no finite image to keep, nothing was written", e.Message);
        Assert.False(File.Exists(temp.File("out.png")));
    }

    [Fact]
    public void A_failure_in_a_coarse_scale_keeps_its_best_image_enlarged_to_the_output_size()
    {
        using var temp = new TempDirectory();
        StyleJobSpec spec = Spec(temp, new StyleTransferSettings { Iterations = 5, Seed = 3 }, new LossWeightChoice(null, null, null, 1e30), scales: 2);
        NonFiniteLossException e = Fails(spec, []);
        Assert.Contains("enlarged", e.Message);
        RgbImage written = ImageReader.Read(spec.Output);
        RgbImage content = ImageReader.Read(spec.Content);
        Assert.Equal((content.Width, content.Height), (written.Width, written.Height));
    }

    [Fact]
    public void A_non_finite_starting_image_is_named_as_the_cause()
    {
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max);
        RgbImage content = ImageReader.Read(Fixtures.TinyVgg("content.png"));
        float[] pixels = [.. content.Pixels];
        pixels[10] = float.NaN;
        var initial = new RgbImage(content.Width, content.Height, pixels);
        var transfer = new StyleTransfer(network, new StyleTransferSettings { Iterations = 3, Seed = 1 });
        var e = Assert.Throws<NonFiniteLossException>(() => transfer.Stylize(content, [ImageReader.Read(Fixtures.TinyVgg("style1.png"))], initial).ToList());
        Assert.Contains("at iteration 1: the starting image holds non-finite values", e.Message);
        Assert.Null(e.BestImage);
    }

    [Fact]
    public void The_command_line_exits_1_with_one_line()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke("--content", Fixtures.TinyVgg("content.png"), "--styles", Fixtures.TinyVgg("style1.png"), "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"),
            "--output", temp.File("o.png"), "--iterations", "10", "--learning-rate", "1e30", "--scales", "1", "--seed", "1");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("neural-style: error: the ", run.ErrorLines[^1]);
        Assert.Contains("diverged", run.ErrorLines[^1]);
        Assert.True(File.Exists(temp.File("o.png")));
    }
}
