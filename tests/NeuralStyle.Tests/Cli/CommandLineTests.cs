using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>The neural-style command end to end on the tiny VGG-shaped networks: files, names, console, errors.</summary>
public class CommandLineTests
{
    private static string[] Base(string network = "tiny-vgg-current.mat") =>
    [
        "--network", Fixtures.TinyVgg(network),
        "--content", Fixtures.TinyVgg("content.png"),
        "--styles", Fixtures.TinyVgg("style1.png"),
    ];

    [Theory]
    [InlineData("tiny-vgg-current.mat")]
    [InlineData("tiny-vgg-old.mat")]
    public void WritesCheckpointsWithTheSeedsZeroBasedNumbersAndTheFinalImage(string network)
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke([.. Base(network),
            "--output", temp.File("final.png"), "--checkpoint-output", temp.File("out%s.jpg"),
            "--iterations", "12", "--checkpoint-iterations", "5", "--print-iterations", "4", "--seed", "1"]);
        Assert.True(run.ExitCode == 0, run.Error);

        string[] files = [.. Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        // Checkpoints at i % 5 == 0 for i < 11 (0, 5, 10); the last iteration (i = 11) goes to --output only.
        Assert.Equal(["final.json", "final.png", "final.state", "out0.jpg", "out10.jpg", "out5.jpg"], files);
    }

    [Fact]
    public void ConsoleHasTheSeedsLinesExactlyAndTheLossFalls()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke([.. Base(), "--output", temp.File("o.png"), "--iterations", "30",
            "--print-iterations", "10", "--initial", Fixtures.TinyVgg("content.png")]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Output);

        SeedConsoleOutput console = SeedConsoleOutput.Parse(run.ErrorLines, out int total);
        Assert.Equal(30, total);
        Assert.Equal(Enumerable.Range(1, 30), console.Iterations);
        // Printed at i % 10 == 0 (iterations 1, 11, 21) and at the last one (30).
        Assert.Equal([1, 11, 21, 30], console.Printed.Select(p => p.Iteration));
        Assert.All(console.Printed, p => Assert.Equal(p.Content + p.Style + p.Tv, p.Total, p.Total * 1e-5));
        Assert.True(console.Printed[^1].Total < console.Printed[0].Total / 2, "the total loss should fall");

        // The exact layout of one block, as scripts parse it.
        int at = Array.IndexOf(run.ErrorLines, "Iteration 30/30");
        Assert.StartsWith("  content loss: ", run.ErrorLines[at + 1]);
        Assert.StartsWith("  style loss: ", run.ErrorLines[at + 2]);
        Assert.StartsWith("  tv loss: ", run.ErrorLines[at + 3]);
        Assert.StartsWith("  total loss: ", run.ErrorLines[at + 4]);
        Assert.Equal(at + 5, run.ErrorLines.Length);
    }

    [Fact]
    public void WithoutPrintIterationsOnlyTheLastIterationPrintsLosses()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke([.. Base(), "--output", temp.File("o.png"), "--iterations", "3"]);
        Assert.True(run.ExitCode == 0, run.Error);
        SeedConsoleOutput console = SeedConsoleOutput.Parse(run.ErrorLines, out _);
        Assert.Equal([3], console.Printed.Select(p => p.Iteration));
    }

    [Fact]
    public void SameSeedGivesTheSameImage()
    {
        using var temp = new TempDirectory();
        string[] args = [.. Base(), "--iterations", "5", "--seed", "42", "--threads", "1"];
        Assert.Equal(0, CliRun.Invoke([.. args, "--output", temp.File("a.png")]).ExitCode);
        Assert.Equal(0, CliRun.Invoke([.. args, "--output", temp.File("b.png")]).ExitCode);
        Assert.Equal(File.ReadAllBytes(temp.File("a.png")), File.ReadAllBytes(temp.File("b.png")));
    }

    [Fact]
    public void RefusesToOverwriteWithoutTheFlag()
    {
        using var temp = new TempDirectory();
        string output = temp.File("o.png");
        File.WriteAllText(output, "precious");
        CliRun refused = CliRun.Invoke([.. Base(), "--output", output, "--iterations", "2"]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"neural-style: error: {output} already exists (use --overwrite to replace it)", refused.ErrorLines.Single());
        Assert.Equal("precious", File.ReadAllText(output));

        CliRun replaced = CliRun.Invoke([.. Base(), "--output", output, "--iterations", "2", "--overwrite"]);
        Assert.True(replaced.ExitCode == 0, replaced.Error);
        Assert.NotEqual("precious", File.ReadAllText(output));
    }

    [Fact]
    public void MissingNetworkGivesTheSeedsMessage()
    {
        using var temp = new TempDirectory();
        string missing = temp.File("imagenet-vgg-verydeep-19.mat");
        CliRun run = CliRun.Invoke(["--network", missing, "--content", Fixtures.TinyVgg("content.png"),
            "--styles", Fixtures.TinyVgg("style1.png"), "--output", temp.File("o.png")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"neural-style: error: Network {missing} does not exist. (Did you forget to download it?)", run.ErrorLines.Single());
    }

    [Fact]
    public void MissingImageIsNamed()
    {
        using var temp = new TempDirectory();
        string missing = temp.File("nope.jpg");
        CliRun run = CliRun.Invoke([.. Base(), "--initial", missing, "--output", temp.File("o.png")]);
        Assert.Equal(1, run.ExitCode);
        string line = run.ErrorLines.Single();
        Assert.StartsWith("neural-style: error: ", line);
        Assert.Contains(missing, line);
    }

    [Fact]
    public void UnreadableImageIsNamed()
    {
        using var temp = new TempDirectory();
        string bad = temp.File("bad.png");
        File.WriteAllText(bad, "this is not a PNG");
        CliRun run = CliRun.Invoke(["--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", bad,
            "--styles", Fixtures.TinyVgg("style1.png"), "--output", temp.File("o.png")]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(bad, run.ErrorLines.Single());
    }

    [Theory]
    [InlineData("To save intermediate images, the checkpoint output parameter must contain `%s` (e.g. `foo%s.jpg`)", "--checkpoint-output", "out.jpg")]
    [InlineData("--style-blend-weights has 2 values for 1 style images", "--style-blend-weights", "1", "2")]
    [InlineData("--style-scales has 3 values for 1 style images", "--style-scales", "1", "2", "3")]
    [InlineData("--iterations must be a positive integer (got 0)", "--iterations", "0")]
    [InlineData("--width must be a positive integer (got -3)", "--width", "-3")]
    [InlineData("--print-iterations must be a positive integer (got 0)", "--print-iterations", "0")]
    [InlineData("--checkpoint-iterations must be a positive integer (got 0)", "--checkpoint-iterations", "0")]
    public void BadArgumentsGiveOneLineAndExitTwo(string message, params string[] extra)
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke([.. Base(), "--output", temp.File("o.png"), .. extra]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"neural-style: error: {message}", run.ErrorLines.Single());
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void MissingRequiredOptionIsAUsageError()
    {
        CliRun run = CliRun.Invoke(["--content", Fixtures.TinyVgg("content.png")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("--styles", run.Error);
    }

    [Fact]
    public void HelpListsEveryFlag()
    {
        CliRun run = CliRun.Invoke(["--help"]);
        Assert.Equal(0, run.ExitCode);
        foreach (string flag in new[]
        {
            "--content", "--styles", "--output", "--checkpoint-output", "--iterations", "--width", "--style-scales",
            "--network", "--content-weight", "--content-weight-blend", "--style-weight", "--style-layer-weight-exp",
            "--style-blend-weights", "--tv-weight", "--learning-rate", "--beta1", "--beta2", "--epsilon", "--initial",
            "--initial-noiseblend", "--preserve-colors", "--pooling", "--print-iterations", "--checkpoint-iterations",
            "--overwrite", "--seed", "--threads", "--chroma-tv-weight", "--parameterization", "--decorrelate-colors",
            "--jitter", "--scale-range", "--rotation",
        })
        {
            Assert.Contains(flag, run.Output);
        }
    }

    [Fact]
    public void WidthResizesTheContentKeepingItsAspect()
    {
        using var temp = new TempDirectory();
        string output = temp.File("o.png");
        CliRun run = CliRun.Invoke([.. Base(), "--output", output, "--iterations", "1", "--width", "20",
            "--pooling", "avg", "--preserve-colors"]);
        Assert.True(run.ExitCode == 0, run.Error);
        NeuralStyle.Imaging.RgbImage image = NeuralStyle.Imaging.ImageReader.Read(output);
        // content.png is 37x29: floor(29 / 37 * 20) = 15.
        Assert.Equal((20, 15), (image.Width, image.Height));
    }

    [Fact]
    public void UnwritableOutputsAreRefusedBeforeTheRun()
    {
        using var temp = new TempDirectory();
        CliRun extension = CliRun.Invoke([.. Base(), "--output", temp.File("o.tiff"), "--iterations", "2"]);
        Assert.Equal(2, extension.ExitCode);
        Assert.Contains(".tiff", extension.ErrorLines.Single());

        string missingDir = Path.Combine(temp.Path, "nope", "o.png");
        CliRun directory = CliRun.Invoke([.. Base(), "--output", missingDir, "--iterations", "2"]);
        Assert.Equal(1, directory.ExitCode);
        Assert.Contains("does not exist", directory.ErrorLines.Single());
        Assert.DoesNotContain("Iteration", directory.Error);
    }

    [Fact]
    public void InitialNoiseBlendMixesNoiseIntoTheStartAsTheSeed()
    {
        double FirstContentLoss(params string[] extra)
        {
            using var temp = new TempDirectory();
            CliRun run = CliRun.Invoke([.. Base(), "--output", temp.File("o.png"), "--iterations", "1", "--seed", "3", .. extra]);
            Assert.True(run.ExitCode == 0, run.Error);
            return SeedConsoleOutput.Parse(run.ErrorLines, out _).Printed[0].Content;
        }

        string content = Fixtures.TinyVgg("content.png");
        Assert.Equal(0, FirstContentLoss("--initial", content));
        Assert.Equal(0, FirstContentLoss("--initial", content, "--initial-noiseblend", "0"));
        double half = FirstContentLoss("--initial", content, "--initial-noiseblend", "0.5");
        double noise = FirstContentLoss();
        // Without --initial, a blend below 1 starts from the content image: the same start as --initial content.
        Assert.Equal(half, FirstContentLoss("--initial-noiseblend", "0.5"), half * 1e-6);
        Assert.True(half > 0 && half < noise, $"half-noise start {half}, pure noise {noise}");
    }

    [Fact]
    public void ARunThatWouldNotFitIsRefusedWithItsEstimate()
    {
        using var temp = new TempDirectory();
        CliRun fits = CliRun.Invoke([.. Base(), "--output", temp.File("a.png"), "--iterations", "1"]);
        Assert.True(fits.ExitCode == 0, fits.Error);
        Assert.Matches(@"^Memory: estimated peak \d+ MiB of \d+ MiB available$", fits.ErrorLines[1]);

        CliRun refused = CliRun.Invoke([.. Base(), "--output", temp.File("b.png"), "--iterations", "1", "--max-memory", "10"]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Matches(@"neural-style: error: a 37x29 run needs about \d+ MiB but only 10 MiB are allowed by --max-memory; use a smaller --width", refused.ErrorLines[^1]);
        Assert.DoesNotContain("Iteration", refused.Error);
        Assert.False(File.Exists(temp.File("b.png")));
    }

    [Theory]
    [InlineData("gram")]
    [InlineData("meanstd")]
    [InlineData("w2")]
    [InlineData("sliced")]
    public void EveryStyleLossRunsAndFallsThroughTheCommandLine(string kind)
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke([.. Base(), "--output", temp.File("o.png"), "--iterations", "25", "--print-iterations", "24",
            "--initial", Fixtures.TinyVgg("content.png"), "--style-loss", kind, "--seed", "2", "--learning-rate", "2"]);
        Assert.True(run.ExitCode == 0, run.Error);
        SeedConsoleOutput console = SeedConsoleOutput.Parse(run.ErrorLines, out _);
        Assert.True(console.Printed[^1].Style < console.Printed[0].Style * 0.8, $"{kind}: style loss {console.Printed[0].Style} -> {console.Printed[^1].Style}");
    }

    [Fact]
    public void LuminanceOnlyKeepsTheContentsChroma()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke([.. Base(), "--output", temp.File("o.png"), "--iterations", "10", "--luminance-only", "--learning-rate", "5"]);
        Assert.True(run.ExitCode == 0, run.Error);
        NeuralStyle.Imaging.RgbImage result = NeuralStyle.Imaging.ColorTransforms.ToYCbCr(NeuralStyle.Imaging.ImageReader.Read(temp.File("o.png")));
        NeuralStyle.Imaging.RgbImage content = NeuralStyle.Imaging.ColorTransforms.ToYCbCr(NeuralStyle.Imaging.ImageReader.Read(Fixtures.TinyVgg("content.png")));
        // Chroma (channels 1 and 2) is the content's up to 8-bit rounding and clipping; luminance (channel 0) changed.
        var chroma = Enumerable.Range(0, result.Pixels.Length).Where(i => i % 3 != 0).Select(i => Math.Abs(result.Pixels[i] - content.Pixels[i])).ToList();
        Assert.True(chroma.Average() < 2.5, $"mean chroma change {chroma.Average():0.00}");
        double luma = Enumerable.Range(0, result.Pixels.Length / 3).Average(p => Math.Abs(result.Pixels[3 * p] - content.Pixels[3 * p]));
        Assert.True(luma > 5, $"mean luminance change {luma:0.00}");
    }

    [Theory]
    [InlineData("histogram")]
    [InlineData("histogram-sqrt")]
    public void ColorTransferRuns(string mode)
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke([.. Base(), "--output", temp.File("o.png"), "--iterations", "2", "--color-transfer", mode]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(File.Exists(temp.File("o.png")));
    }

    [Fact]
    public void LuminanceOnlyExcludesTheOtherColourOptions()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke([.. Base(), "--output", temp.File("o.png"), "--luminance-only", "--color-transfer", "histogram"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--luminance-only", run.ErrorLines.Single());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LbfgsReachesALowerLossThanAdamInTheSameIterations(bool lineSearch)
    {
        // On the tiny network Adam leads for the first ~50 steps; by 100 L-BFGS is at about half Adam's loss.
        double FinalTotal(params string[] extra)
        {
            using var temp = new TempDirectory();
            CliRun run = CliRun.Invoke([.. Base(), "--output", temp.File("o.png"), "--iterations", "80", "--initial", Fixtures.TinyVgg("content.png"), .. extra]);
            Assert.True(run.ExitCode == 0, run.Error);
            SeedConsoleOutput console = SeedConsoleOutput.Parse(run.ErrorLines, out _);
            Assert.Equal([80], console.Printed.Select(p => p.Iteration));
            return console.Printed[^1].Total;
        }

        double adam = FinalTotal("--optimizer", "adam");
        double lbfgs = FinalTotal(["--optimizer", "lbfgs", "--lbfgs-history", "20", .. (lineSearch ? new[] { "--lbfgs-line-search" } : [])]);
        Assert.True(lbfgs < adam, $"L-BFGS {lbfgs} vs Adam {adam}");
    }

    [Fact]
    public void TheMemoryRefusalSuggestsFewerLbfgsPairs()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke([.. Base(), "--output", temp.File("o.png"), "--optimizer", "lbfgs", "--max-memory", "10"]);
        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith("or fewer L-BFGS pairs (--lbfgs-history)", run.ErrorLines[^1]);
    }

    [Fact]
    public void OurRecipeIsAdamOverThreeScalesAndTheSeedsIsAdamOnOne()
    {
        using var temp = new TempDirectory();
        string[] common = ["--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"), "--iterations", "2", "--width", "300"];
        string Schedule(params string[] extra)
        {
            CliRun run = CliRun.Invoke([.. common, .. extra, "--output", temp.File($"o{extra.Length}{string.Join("", extra)}.png")]);
            Assert.True(run.ExitCode == 0, run.Error);
            using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(temp.File($"o{extra.Length}{string.Join("", extra)}.json")));
            string optimizer = manifest.RootElement.GetProperty("options").GetProperty("settings").GetProperty("optimizer").GetString()!;
            return $"{optimizer}: " + string.Join("; ", run.ErrorLines.Where(l => l.StartsWith("Scale ", StringComparison.Ordinal)));
        }

        // 300 px wide: the coarsest scale's long side is 300 / 4 = 75, then 150 and 300.
        Assert.Equal("adam: Scale 1/3: 75x50, 100 iterations; Scale 2/3: 150x100, 100 iterations; Scale 3/3: 300x199, 2 iterations", Schedule());
        Assert.Equal("adam: ", Schedule("--recipe", "seed"));
        Assert.Equal("lbfgs: ", Schedule("--recipe", "seed", "--optimizer", "lbfgs"));
        Assert.StartsWith("lbfgs: Scale 1/3", Schedule("--optimizer", "lbfgs"));
        Assert.Equal("adam: Scale 1/2: 75x50, 100 iterations; Scale 2/2: 300x199, 2 iterations", Schedule("--recipe", "seed", "--scales", "2"));
    }

    [Fact]
    public void MultiScaleRunsCoarseToFineAndWritesOnlyTheFinalScalesFiles()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke([.. Base(), "--output", temp.File("o.png"), "--checkpoint-output", temp.File("c%s.png"),
            "--checkpoint-iterations", "4", "--iterations", "5", "--scales", "3", "--min-size", "16", "--coarse-iterations", "7", "--seed", "4"]);
        Assert.True(run.ExitCode == 0, run.Error);
        string[] scales = [.. run.ErrorLines.Where(l => l.StartsWith("Scale ", StringComparison.Ordinal))];
        // 37x29 content: long sides 16, 24, 37; iterations 7, 7, 5.
        Assert.Equal(["Scale 1/3: 16x13, 7 iterations", "Scale 2/3: 24x19, 7 iterations", "Scale 3/3: 37x29, 5 iterations"], scales);
        Assert.Equal(["c0.png", "o.json", "o.png", "o.state"], Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        NeuralStyle.Imaging.RgbImage image = NeuralStyle.Imaging.ImageReader.Read(temp.File("o.png"));
        Assert.Equal((37, 29), (image.Width, image.Height));

        // The final scale starts from the coarse result, not from noise: its first loss is far below a noise start's.
        int finalStart = Array.IndexOf(run.ErrorLines, scales[2]);
        SeedConsoleOutput final = SeedConsoleOutput.Parse(run.ErrorLines[(finalStart + 1)..], out _);
        CliRun single = CliRun.Invoke([.. Base(), "--output", temp.File("s.png"), "--iterations", "5", "--seed", "4"]);
        SeedConsoleOutput noise = SeedConsoleOutput.Parse(single.ErrorLines, out _);
        Assert.True(final.Printed[^1].Total < noise.Printed[^1].Total, $"multi-scale {final.Printed[^1].Total} vs single {noise.Printed[^1].Total}");
    }
}
