using System.Text.Json;
using NeuralStyle.Backbones;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

public class LayersAndNetworkTests
{
    [Fact]
    public void LayersListsNamesAndShapesForTheGivenSize()
    {
        CliRun run = CliRun.Invoke(["layers", "--network", Fixtures.TinyVgg("tiny-vgg-old.mat"), "--width", "37", "--height", "29", "--json"]);
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument doc = JsonDocument.Parse(run.Output);
        var layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal("conv1_1", layers[0].GetProperty("name").GetString());
        JsonElement pool1 = layers.Single(l => l.GetProperty("name").GetString() == "pool1");
        // 29x37 pooled with TensorFlow's SAME: ceil(29/2) x ceil(37/2).
        Assert.Equal([1, 4, 15, 19], pool1.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("relu5_4", layers[^1].GetProperty("name").GetString());
    }

    [Fact]
    public void LayersListsAnOnnxModelsOwnValues()
    {
        // Before: any ONNX model other than the bundled one was refused with "has no layer 'relu5_4'".
        CliRun run = CliRun.Invoke(["layers", "--network", Path.Combine(Fixtures.Root, "onnx", "pool.onnx"), "--width", "32", "--height", "32"]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("ONNX model pool.onnx", run.Output);
        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith("max_asym ", StringComparison.Ordinal));
    }

    [Fact]
    public void LayersShowsTheBundledNetworksAliases()
    {
        CliRun run = CliRun.Invoke(["layers", "--network", BundledResNet18.DefaultPath]);
        Assert.True(run.ExitCode == 0, run.Error);
        string line = run.Output.Split('\n').Single(l => l.StartsWith("ReLU269_Output_0", StringComparison.Ordinal));
        Assert.Contains("1x64x56x56", line);
        Assert.EndsWith("layer1.0", line.TrimEnd());
    }

    [Fact]
    public void WithoutNetworkTheBundledResNetIsUsedAndNamed()
    {
        // The test's working directory holds no imagenet-vgg-verydeep-19.mat.
        Assert.False(File.Exists("imagenet-vgg-verydeep-19.mat"));
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke(["--content", Fixtures.TinyVgg("content.png"), "--styles", Fixtures.TinyVgg("style1.png"),
            "--output", temp.File("o.png"), "--iterations", "2", "--threads", "1"]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("Network: ResNet-18", run.ErrorLines[0]);
        Assert.Contains("bundled", run.ErrorLines[0]);
        Assert.True(File.Exists(temp.File("o.png")));
    }

    [Fact]
    public void ExplicitLayersWithWeightsAreAccepted()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke(["--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
            "--styles", Fixtures.TinyVgg("style1.png"), "--output", temp.File("o.png"), "--iterations", "2",
            "--content-layers", "relu3_1", "--style-layers", "relu1_1:2", "relu2_1:0.5", "--print-iterations", "1"]);
        Assert.True(run.ExitCode == 0, run.Error);

        CliRun bad = CliRun.Invoke(["--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
            "--styles", Fixtures.TinyVgg("style1.png"), "--output", temp.File("p.png"), "--style-layers", "relu1_1:-1"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("neural-style: error: --style-layers: the weight of relu1_1 must not be negative (got -1)", bad.ErrorLines.Single());

        CliRun unknown = CliRun.Invoke(["--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
            "--styles", Fixtures.TinyVgg("style1.png"), "--output", temp.File("q.png"), "--content-layers", "relu9_9"]);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("relu9_9", unknown.ErrorLines.Single());
    }

    [Fact]
    public void TheBundledDefaultsReduceTheStyleLossOnTheExampleImages()
    {
        using var temp = new TempDirectory();
        string content = Fixtures.Example("chelsea.png"), style = Fixtures.Example("brick.png");
        CliRun run = CliRun.Invoke(["--content", content, "--styles", style, "--initial", content, "--width", "96", "--scales", "1",
            "--iterations", "40", "--print-iterations", "1", "--output", temp.File("o.png")]);
        Assert.True(run.ExitCode == 0, run.Error);
        SeedConsoleOutput console = SeedConsoleOutput.Parse(run.ErrorLines, out _);
        // The defaults evaluate each step under a small random rescaling and rotation, so one iteration's losses are
        // noisy (the content term varies 1000..9000 from draw to draw): compare the mean of the last ten iterations.
        // The total is not compared: the content weight (5e4) and the chroma TV hold it up while the style falls.
        double first = console.Printed[0].Style;
        double last = console.Printed.TakeLast(10).Average(p => p.Style);
        Assert.True(last < first * 0.75, $"style loss {first} -> {last} (mean of the last ten)");
    }
}
