using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuralStyle.Imaging;
using NeuralStyle.Tests.Support;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.ImageNet;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Cli;

public class ClassifyCommandTests(ModelsSqueezeNetReference reference, ITestOutputHelper log) : IClassFixture<ModelsSqueezeNetReference>
{
    [Theory]
    [InlineData("astronaut.png", 256, 224)]
    [InlineData("chelsea.png", 342, 299)]
    public void ResizeAndCropReproduceTorchvisionsPixels(string image, int resize, int crop)
    {
        // Fixtures/classify: torchvision's Resize + CenterCrop on the PIL image (tests/fixture-scripts/make_classify_fixtures.py).
        RgbImage expected = ImageReader.Read(Path.Combine(Fixtures.Root, "classify", $"{Path.GetFileNameWithoutExtension(image)}-{resize}-{crop}.png"));
        RgbImage ours = ClassificationInput.CenterCrop(ClassificationInput.ResizeShorterSide(ImageReader.Read(Fixtures.Example(image)), resize), crop);
        Assert.Equal((crop, crop), (ours.Width, ours.Height));
        Assert.Equal((crop, crop), (expected.Width, expected.Height));
        float[] diff = [.. ours.Pixels.Zip(expected.Pixels, (a, b) => Math.Abs(a - b))];
        int differing = diff.Count(d => d > 0);
        log.WriteLine($"{image} {resize}/{crop}: {differing} of {diff.Length} values differ from PIL's (max {diff.Max()} level)");
        // PIL's fixed-point weights round a few values the other way; never by more than one level.
        Assert.True(diff.Max() <= 1, $"max difference {diff.Max()}");
        Assert.True(differing <= diff.Length / 100, $"{differing} values differ");
    }

    [Fact]
    public void ShorterSideRuleIsTorchvisions()
    {
        // int(256 * 451 / 300) = 384 for chelsea's 451x300.
        RgbImage resized = ClassificationInput.ResizeShorterSide(new RgbImage(451, 300), 256);
        Assert.Equal((384, 256), (resized.Width, resized.Height));
        RgbImage tall = ClassificationInput.ResizeShorterSide(new RgbImage(300, 451), 256);
        Assert.Equal((256, 384), (tall.Width, tall.Height));
        // Python's round(0.5) is 0: a 225-wide crop of 224 starts at column 0.
        var image = new RgbImage(225, 224);
        image[0, 0, 0] = 7;
        Assert.Equal(7, ClassificationInput.CenterCrop(image, 224)[0, 0, 0]);
    }

    [Fact]
    public void TheThousandImageNetLabelsAreShipped()
    {
        Assert.Equal(1000, ImageNetLabels.All.Count);
        Assert.Equal("tench", ImageNetLabels.All[0]);
        Assert.Equal("toilet tissue", ImageNetLabels.All[999]);
        Assert.Equal("goldfish", ImageNetLabels.For(1, 1000));
        Assert.Equal("1", ImageNetLabels.For(1, 10));
    }

    [Fact]
    public void TopFiveAgreeWithTorchvision()
    {
        // Two images in one batch: batches above 1 take oneDNN's convolutions, batch 1 LibTorch's own at this size.
        string[] images = [Fixtures.Example("astronaut.png"), Fixtures.Example("chelsea.png")];
        CliRun run = CliRun.Invoke(["classify", "--model", "squeezenet1_1", "--weights", reference.Run.StateDict, .. images, "--json"]);
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument doc = JsonDocument.Parse(run.Output);
        Assert.Equal("squeezenet1_1", doc.RootElement.GetProperty("model").GetString());
        JsonElement[] results = [.. doc.RootElement.GetProperty("images").EnumerateArray()];
        Assert.Equal(images.Length, results.Length);
        for (int i = 0; i < images.Length; i++)
        {
            (int[] indices, double[] probabilities) = TorchvisionClassify("squeezenet1_1", reference.Run.StateDict, images[i]);
            Assert.Equal(images[i], results[i].GetProperty("image").GetString());
            JsonElement[] top = [.. results[i].GetProperty("top").EnumerateArray()];
            Assert.Equal(indices, top.Select(t => t.GetProperty("index").GetInt32()));
            Assert.Equal(indices.Select(k => ImageNetLabels.All[k]), top.Select(t => t.GetProperty("label").GetString()));
            double[] ours = [.. top.Select(t => t.GetProperty("probability").GetDouble())];
            double worst = ours.Zip(probabilities, (a, b) => Math.Abs(a - b) / b).Max();
            log.WriteLine($"{Path.GetFileName(images[i])}: top-5 {string.Join(", ", indices)}; largest relative probability difference {worst:g3}");
            // Random weights give nearly uniform probabilities (about 0.002), so they are compared relatively.
            Assert.True(worst <= 1e-3, $"relative difference {worst}");
        }
    }

    [Fact]
    public void BatchSizeDoesNotChangeTheResults()
    {
        string[] images = [Fixtures.Example("astronaut.png"), Fixtures.Example("chelsea.png"), Fixtures.Example("brick.png")];
        CliRun batched = CliRun.Invoke(["classify", "--model", "squeezenet1_1", "--weights", reference.Run.StateDict, "--batch-size", "2", .. images, "--json"]);
        CliRun single = CliRun.Invoke(["classify", "--model", "squeezenet1_1", "--weights", reference.Run.StateDict, "--batch-size", "1", .. images, "--json"]);
        Assert.True(batched.ExitCode == 0 && single.ExitCode == 0, batched.Error + single.Error);
        using JsonDocument a = JsonDocument.Parse(batched.Output), b = JsonDocument.Parse(single.Output);
        JsonElement[] left = [.. a.RootElement.GetProperty("images").EnumerateArray()], right = [.. b.RootElement.GetProperty("images").EnumerateArray()];
        Assert.Equal(images.Length, left.Length);
        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(right[i].GetProperty("image").GetString(), left[i].GetProperty("image").GetString());
            JsonElement[] x = [.. left[i].GetProperty("top").EnumerateArray()], y = [.. right[i].GetProperty("top").EnumerateArray()];
            Assert.Equal(y.Select(t => t.GetProperty("index").GetInt32()), x.Select(t => t.GetProperty("index").GetInt32()));
            for (int k = 0; k < x.Length; k++)
            {
                double p = x[k].GetProperty("probability").GetDouble(), q = y[k].GetProperty("probability").GetDouble();
                Assert.True(Math.Abs(p - q) <= 1e-5 * q, $"{images[i]}: probability {p} batched, {q} alone");
            }
        }

        CliRun zero = CliRun.Invoke("classify", "--model", "squeezenet1_1", "--weights", reference.Run.StateDict, "--batch-size", "0", images[0]);
        Assert.Equal(2, zero.ExitCode);
        Assert.Equal("neural-style: error: --batch-size must be positive (got 0)", Assert.Single(zero.ErrorLines));
    }

    [Fact]
    public void TextOutputListsEachImage()
    {
        CliRun run = CliRun.Invoke("classify", "--model", "squeezenet1_1", "--weights", reference.Run.StateDict, "--top", "3",
            Fixtures.Example("astronaut.png"), Fixtures.Example("chelsea.png"));
        Assert.True(run.ExitCode == 0, run.Error);
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8, lines.Length);
        Assert.EndsWith("astronaut.png:", lines[0]);
        Assert.EndsWith("chelsea.png:", lines[4]);
        string[] cells = lines[1].Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        double p = double.Parse(cells[0], CultureInfo.InvariantCulture);
        Assert.InRange(p, 0, 1);
        Assert.Equal(ImageNetLabels.All[int.Parse(cells[1], CultureInfo.InvariantCulture)], cells[2].Trim());
    }

    [Fact]
    public void ClassifyErrors()
    {
        string weights = reference.Run.StateDict, image = Fixtures.Example("astronaut.png");
        CliRun missing = CliRun.Invoke("classify", "--model", "squeezenet1_1", "--weights", weights, reference.File("nope.png"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope.png", missing.ErrorLines.Single());

        CliRun top = CliRun.Invoke("classify", "--model", "squeezenet1_1", "--weights", weights, "--top", "0", image);
        Assert.Equal(2, top.ExitCode);
        Assert.Contains("--top", top.ErrorLines.Single());

        CliRun unknown = CliRun.Invoke("classify", "--model", "resnet17", "--weights", weights, image);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("'resnet17' is not a zoo model", unknown.ErrorLines.Single());

        CliRun noImage = CliRun.Invoke("classify", "--model", "squeezenet1_1", "--weights", weights);
        Assert.Equal(2, noImage.ExitCode);
        Assert.Single(noImage.ErrorLines);
    }

    [Fact]
    public void PreparedInputIsNormalisedLikeTorchvision()
    {
        // ToTensor then Normalize: (v / 255 - mean) / std per channel, channels first.
        var image = new RgbImage(2, 2);
        for (int y = 0; y < 2; y++)
        {
            for (int x = 0; x < 2; x++)
            {
                (image[x, y, 0], image[x, y, 1], image[x, y, 2]) = (255, 0, 128);
            }
        }

        using Tensor input = ClassificationInput.Prepare(image, ImagePreprocessing.ImageNet(crop: 2, resize: 2));
        Assert.Equal([1L, 3, 2, 2], input.shape);
        Assert.Equal((1 - 0.485f) / 0.229f, input[0, 0, 1, 1].item<float>(), 5);
        Assert.Equal((0 - 0.456f) / 0.224f, input[0, 1, 0, 0].item<float>(), 5);
        Assert.Equal((128 / 255f - 0.406f) / 0.225f, input[0, 2, 1, 0].item<float>(), 5);

        using Tensor bgr = ClassificationInput.Prepare(image, new ImagePreprocessing(2, 2, [104, 117, 128], [1, 1, 1], 1, Bgr: true));
        Assert.Equal(128 - 128f, bgr[0, 0, 0, 0].item<float>(), 5);
        Assert.Equal(255 - 104f, bgr[0, 2, 0, 0].item<float>(), 5);

        using Tensor gray = ClassificationInput.Prepare(image, new ImagePreprocessing(2, 2, [0.1307f], [0.3081f], 1 / 255f, Grayscale: true));
        Assert.Equal([1L, 1, 2, 2], gray.shape);
        float luma = MathF.Round((0.299f * 255) + (0.114f * 128));
        Assert.Equal((luma / 255 - 0.1307f) / 0.3081f, gray[0, 0, 0, 0].item<float>(), 5);
    }

    // tests/fixture-scripts/torchvision_reference.py classify: torchvision's own preprocessing and softmax.
    private static (int[] Indices, double[] Probabilities) TorchvisionClassify(string model, string weights, string image)
    {
        var start = new ProcessStartInfo(TorchvisionReference.Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { Path.Combine(TorchvisionReference.RepositoryRoot, "tests", "fixture-scripts", "torchvision_reference.py"), "classify", model, weights, image })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{TorchvisionReference.Python} could not be started");
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"torchvision_reference.py classify failed: {error.Result}");
        using JsonDocument doc = JsonDocument.Parse(output.Result);
        return ([.. doc.RootElement.GetProperty("indices").EnumerateArray().Select(e => e.GetInt32())],
            [.. doc.RootElement.GetProperty("probabilities").EnumerateArray().Select(e => e.GetDouble())]);
    }
}
