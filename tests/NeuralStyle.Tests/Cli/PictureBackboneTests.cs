using System.Globalization;
using System.Text.Json;
using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>
/// The picture options (parameterisation, colour decorrelation, transforms) through the real CLI and job path on
/// every kind of backbone: a MatConvNet VGG file (the tiny VGG), an ONNX model (the bundled ResNet-18, given as a
/// file) and a zoo model with a PyTorch state dict (SqueezeNet 1.1, torchvision's random weights). Each run completes
/// at the content's size, records its settings, and a run resumed from a checkpoint writes the same bytes as the
/// uninterrupted one (issue 12, item 6).
/// </summary>
public class PictureBackboneTests(ModelsSqueezeNetReference reference) : IClassFixture<ModelsSqueezeNetReference>
{
    // Every transform at once, with the Fourier basis in decorrelated colours.
    private static readonly string[] Fourier = ["--parameterization", "fourier", "--decorrelate-colors", "--jitter", "1", "--scale-range", "0.95", "1.05", "--rotation", "2"];

    // The pyramid in the network's own colours, with the same transforms.
    private static readonly string[] Pyramid = ["--parameterization", "pyramid", "--decorrelate-colors", "off", "--jitter", "1", "--scale-range", "0.95", "1.05", "--rotation", "2"];

    public static TheoryData<string, string> Cases => new()
    {
        { "vgg", "fourier" }, { "vgg", "pyramid" },
        { "onnx", "fourier" }, { "onnx", "pyramid" },
        { "zoo", "fourier" }, { "zoo", "pyramid" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_run_completes_records_its_settings_and_resumes_to_the_same_bytes(string backbone, string parameterization)
    {
        using var temp = new TempDirectory();
        string[] picture = parameterization == "fourier" ? Fourier : Pyramid;
        (string[] network, int width, int height) = Backbone(backbone);

        CliRun straight = CliRun.Invoke(Args(network, temp.File("straight.png"), 6, picture));
        Assert.True(straight.ExitCode == 0, straight.Error);
        SeedConsoleOutput console = SeedConsoleOutput.Parse(straight.ErrorLines, out _);
        Assert.All(console.Printed, p => Assert.True(double.IsFinite(p.Total), $"iteration {p.Iteration}: total loss {p.Total}"));
        RgbImage image = ImageReader.Read(temp.File("straight.png"));
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.All(image.Pixels, v => Assert.True(float.IsFinite(v)));
        Assert.True(image.Pixels.Distinct().Count() > 16, "the picture is (nearly) uniform");
        AssertRecorded(temp.File("straight.json"), parameterization, backbone);

        // Four iterations, then resumed from the state to six: the straight run's bytes.
        CliRun half = CliRun.Invoke(Args(network, temp.File("half.png"), 4, picture));
        Assert.True(half.ExitCode == 0, half.Error);
        CliRun resumed = CliRun.Invoke(["--resume", temp.File("half.json"), "--iterations", "6"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal([5, 6], SeedConsoleOutput.Parse(resumed.ErrorLines, out _).Iterations);
        AssertRecorded(temp.File("half.json"), parameterization, backbone);
        Assert.Equal(File.ReadAllBytes(temp.File("straight.png")), File.ReadAllBytes(temp.File("half.png")));
    }

    private (string[] Network, int Width, int Height) Backbone(string kind) => kind switch
    {
        "vgg" => (["--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"), "--styles", Fixtures.TinyVgg("style1.png")], 37, 29),
        "onnx" => (["--network", BundledResNet18.DefaultPath, "--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"), "--width", "64"], 64, 42),
        "zoo" => (["--network", "squeezenet1_1", "--weights", reference.Run.StateDict, "--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"), "--width", "64"], 64, 42),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string[] Args(string[] network, string output, int iterations, string[] picture) =>
    [
        .. network, "--output", output, "--iterations", iterations.ToString(CultureInfo.InvariantCulture), "--scales", "1",
        "--checkpoint-iterations", "3", "--print-iterations", "1", "--seed", "3", "--threads", "1", .. picture,
    ];

    // The flags' values, and the backbone's chroma TV weight (none given): none for VGG, the bundled ResNet-18's for
    // it and for every other zoo model (in pixel units, so unchanged by the zoo model's input units).
    private static void AssertRecorded(string manifest, string parameterization, string backbone)
    {
        double chroma = backbone == "vgg" ? 0 : BundledResNet18.Defaults.Picture!.ChromaTvWeight;
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(manifest));
        Assert.True(doc.RootElement.GetProperty("completed").GetBoolean());
        bool decorrelate = parameterization == "fourier";
        JsonElement settings = doc.RootElement.GetProperty("options").GetProperty("settings");
        Assert.Equal(parameterization, settings.GetProperty("parameterization").GetString());
        Assert.Equal(decorrelate, settings.GetProperty("decorrelateColors").GetBoolean());
        Assert.Equal(chroma, settings.GetProperty("chromaTvWeight").GetDouble());
        JsonElement robustness = settings.GetProperty("robustness");
        Assert.Equal((1.0, 0.95, 1.05, 2.0), (robustness.GetProperty("jitterPixels").GetDouble(), robustness.GetProperty("scaleMin").GetDouble(), robustness.GetProperty("scaleMax").GetDouble(), robustness.GetProperty("rotationDegrees").GetDouble()));

        JsonElement picture = doc.RootElement.GetProperty("spec").GetProperty("picture");
        Assert.Equal(parameterization, picture.GetProperty("parameterization").GetString(), ignoreCase: true);
        Assert.Equal(decorrelate, picture.GetProperty("decorrelateColors").GetBoolean());
        Assert.Equal(chroma, picture.GetProperty("chromaTvWeight").GetDouble());
        Assert.Equal([1.0, 0.95, 1.05, 2.0], new[] { "jitterPixels", "scaleMin", "scaleMax", "rotationDegrees" }.Select(p => picture.GetProperty(p).GetDouble()));
    }
}
