using NeuralStyle.Imaging;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

public class ModelsBackboneTests(ModelsSqueezeNetReference reference) : IClassFixture<ModelsSqueezeNetReference>
{
    [Fact]
    public void AZooModelWithPyTorchWeightsIsAStyleTransferBackbone()
    {
        // 30 iterations: with the bundled ResNet-18's picture settings (the zoo's default), the chroma TV of the
        // starting noise (the seed's, drawn in the network's units: one of torchvision's is 58 pixel levels) dominates
        // the first dozen steps.
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke(["--network", "squeezenet1_1", "--weights", reference.Run.StateDict,
            "--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"), "--width", "64",
            "--iterations", "30", "--print-iterations", "29", "--output", temp.File("o.png"), "--threads", "1"]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("Network: squeezenet1_1 (SqueezeNet, zoo model", run.ErrorLines[0]);
        Assert.Contains("(--network squeezenet1_1 --weights)", run.ErrorLines[0]);
        SeedConsoleOutput console = SeedConsoleOutput.Parse(run.ErrorLines, out _);
        PrintedLosses first = console.Printed[0], last = console.Printed[^1];
        Assert.True(last.Total < first.Total / 2, $"total loss {first.Total} -> {last.Total}");
        Assert.True(last.Style < first.Style, $"style loss {first.Style} -> {last.Style}");
        Assert.True(File.Exists(temp.File("o.png")));
        Assert.Contains("\"features.12\"", File.ReadAllText(temp.File("o.json")));
    }

    [Fact]
    public void ZooNetworkErrorsAreUsageErrors()
    {
        using var temp = new TempDirectory();
        string[] images = ["--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"), "--output", temp.File("o.png")];
        CliRun unknown = CliRun.Invoke(["--network", "vgg17", "--weights", reference.Run.StateDict, .. images]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("vgg17 is neither a file nor a zoo model", unknown.ErrorLines.Single());
        Assert.Contains("squeezenet1_1", unknown.Error);

        CliRun noWeights = CliRun.Invoke(["--network", "squeezenet1_1", .. images]);
        Assert.Equal(2, noWeights.ExitCode);
        Assert.Contains("--weights FILE", noWeights.ErrorLines.Single());

        CliRun missing = CliRun.Invoke(["--network", "squeezenet1_1", "--weights", temp.File("nope.pth"), .. images]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope.pth", missing.ErrorLines.Single());

        CliRun stray = CliRun.Invoke(["--weights", reference.Run.StateDict, .. images]);
        Assert.Equal(2, stray.ExitCode);
        Assert.Contains("--weights goes with --network NAME", stray.ErrorLines.Single());

        CliRun wrong = CliRun.Invoke(["--network", "resnet18", "--weights", reference.Run.StateDict, .. images]);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("missing key", wrong.ErrorLines.Single());
    }

    [Fact]
    public void LayersListsAZooModelsModules()
    {
        CliRun run = CliRun.Invoke("layers", "--network", "vgg11", "--width", "64", "--height", "64", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var doc = System.Text.Json.JsonDocument.Parse(run.Output);
        var layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal("features.0", layers[0].GetProperty("name").GetString());
        Assert.Equal("conv1_1", layers[0].GetProperty("alias").GetString());
        var relu = layers.Single(l => l.GetProperty("name").GetString() == "features.1");
        Assert.Equal("relu1_1", relu.GetProperty("alias").GetString());
        Assert.Equal([1, 64, 64, 64], relu.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Contains(layers, l => l.GetProperty("name").GetString() == "classifier.6");

        CliRun sized = CliRun.Invoke("layers", "--network", "squeezenet1_1", "--weights", reference.Run.StateDict, "--width", "96", "--height", "64");
        Assert.True(sized.ExitCode == 0, sized.Error);
        Assert.Contains("weights state_dict.pth", sized.Output.Split('\n')[0]);
        Assert.Contains("1x64x31x47", sized.Output.Split('\n').Single(l => l.StartsWith("features.0 ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Images_smaller_than_the_network_takes_are_refused_before_the_run()
    {
        // SqueezeNet's unpadded pools need 17x17 pixels; smaller inputs used to abort the process (exit 134).
        using var temp = new TempDirectory();
        string[] common = ["--network", "squeezenet1_1", "--weights", reference.Run.StateDict, "--content", Fixtures.Example("chelsea.png"),
            "--styles", Fixtures.Example("brick.png"), "--output", temp.File("o.png"), "--iterations", "2"];

        CliRun content = CliRun.Invoke([.. common, "--width", "16"]);
        Assert.Equal(2, content.ExitCode);
        Assert.Contains("the content image", content.ErrorLines[^1]);
        Assert.Contains("16x10 pixels after --width; the network needs at least 17x17 pixels", content.ErrorLines[^1]);

        CliRun style = CliRun.Invoke([.. common, "--width", "64", "--style-scales", "0.01"]);
        Assert.Equal(2, style.ExitCode);
        Assert.Contains("brick.png is 1x1 pixels after scaling", style.ErrorLines[^1]);

        CliRun coarse = CliRun.Invoke([.. common, "--width", "64", "--min-size", "8"]);
        Assert.Equal(2, coarse.ExitCode);
        Assert.Contains("the coarsest scale (1 of 3) is 8x5 pixels", coarse.ErrorLines[^1]);
        Assert.False(File.Exists(temp.File("o.json")));
    }

    [Fact]
    public void Coarse_scales_keep_small_styles_at_the_size_the_network_takes()
    {
        // A 24 px style shrinks to 8 px at the coarsest of three scales (32x21 of 96x64); it is kept at 17 px instead of failing.
        using var temp = new TempDirectory();
        ImageWriter.Write(ImageResizer.Resize(ImageReader.Read(Fixtures.Example("brick.png")), 24, 24), temp.File("small.png"), overwrite: false);
        CliRun run = CliRun.Invoke("--network", "squeezenet1_1", "--weights", reference.Run.StateDict, "--content", Fixtures.Example("chelsea.png"),
            "--styles", temp.File("small.png"), "--style-scales", "0.25", "--width", "96", "--min-size", "32", "--coarse-iterations", "1",
            "--iterations", "2", "--output", temp.File("o.png"), "--threads", "1");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(File.Exists(temp.File("o.png")));
    }

    [Fact]
    public void A_one_pixel_style_image_is_scaled_to_the_contents_width_and_runs()
    {
        using var temp = new TempDirectory();
        ImageWriter.Write(new RgbImage(1, 1, [200f, 120f, 40f]), temp.File("dot.png"), overwrite: false);
        CliRun run = CliRun.Invoke("--network", "squeezenet1_1", "--weights", reference.Run.StateDict, "--content", Fixtures.Example("chelsea.png"),
            "--styles", temp.File("dot.png"), "--width", "64", "--iterations", "2", "--scales", "1", "--output", temp.File("o.png"), "--threads", "1");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(File.Exists(temp.File("o.png")));
    }
}
