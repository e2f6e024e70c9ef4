using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Tensors;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Losses;
using Xunit;

namespace NeuralStyle.Tests.Transfer;

/// <summary>The colour-only total variation: its value against a float64 reference, its blindness to luminance, its effect.</summary>
public class ChromaTotalVariationTests
{
    public static TheoryData<string> Conventions => ["vgg", "bundled", "torchvision"];

    private static PixelConvention Convention(string name) => name switch
    {
        "vgg" => new PixelConvention(123.68f, 116.779f, 103.939f),
        "bundled" => BundledResNet18.Pixels,
        _ => NetworkFiles.TorchvisionPixels,
    };

    private static RgbImage Random(int width, int height, int seed)
    {
        var random = new Random(seed);
        return new RgbImage(width, height, [.. Enumerable.Range(0, width * height * 3).Select(_ => (float)(random.NextDouble() * 255))]);
    }

    // mean of squared vertical plus mean of squared horizontal differences of Cb and Cr (BT.601), in float64.
    private static double Reference(RgbImage image)
    {
        double Chroma(int x, int y, int c)
        {
            int i = ((y * image.Width) + x) * 3;
            double r = image.Pixels[i], g = image.Pixels[i + 1], b = image.Pixels[i + 2];
            return c == 0 ? (-0.168736 * r) - (0.331264 * g) + (0.5 * b) : (0.5 * r) - (0.418688 * g) - (0.081312 * b);
        }

        double dy = 0, dx = 0;
        for (int c = 0; c < 2; c++)
        {
            for (int y = 0; y < image.Height; y++)
            {
                for (int x = 0; x < image.Width; x++)
                {
                    dy += y > 0 ? Math.Pow(Chroma(x, y, c) - Chroma(x, y - 1, c), 2) : 0;
                    dx += x > 0 ? Math.Pow(Chroma(x, y, c) - Chroma(x - 1, y, c), 2) : 0;
                }
            }
        }

        return (dy / (2.0 * (image.Height - 1) * image.Width)) + (dx / (2.0 * image.Height * (image.Width - 1)));
    }

    [Theory]
    [MemberData(nameof(Conventions))]
    public void It_is_the_same_number_in_every_network_convention(string convention)
    {
        RgbImage image = Random(7, 5, 3);
        using var input = ImageTensors.Preprocess(image, Convention(convention));
        double ours = ChromaTotalVariation.Of(input, Convention(convention)).item<float>();
        double expected = Reference(image);
        Assert.True(Math.Abs(ours - expected) <= 1e-5 * expected, $"{ours} vs {expected}");
    }

    [Fact]
    public void Grey_variation_costs_nothing_colour_variation_does()
    {
        RgbImage noise = Random(9, 6, 5);
        float[] grey = new float[noise.Pixels.Length];
        for (int i = 0; i < grey.Length; i += 3)
        {
            grey[i] = grey[i + 1] = grey[i + 2] = noise.Pixels[i];
        }

        PixelConvention pixels = BundledResNet18.Pixels;
        using var greyInput = ImageTensors.Preprocess(new RgbImage(9, 6, grey), pixels);
        using var noiseInput = ImageTensors.Preprocess(noise, pixels);
        Assert.True(GatysLosses.TotalVariation(greyInput).item<float>() > 1000);
        Assert.True(ChromaTotalVariation.Of(greyInput, pixels).item<float>() < 1e-3);
        Assert.True(ChromaTotalVariation.Of(noiseInput, pixels).item<float>() > 1000);
    }

    [Fact]
    public void A_weighted_term_leaves_less_colour_speckle_in_the_result()
    {
        // From noise on the tiny VGG, whose losses are around 1e8 (hence the weight): the same run with the colour term ends far smoother in
        // colour; the luminance is not what it smooths.
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max);
        RgbImage content = ImageReader.Read(Fixtures.TinyVgg("content.png"));
        RgbImage style = ImageReader.Read(Fixtures.TinyVgg("style1.png"));
        double ChromaOf(double weight)
        {
            var transfer = new StyleTransfer(network, new StyleTransferSettings { Iterations = 30, Seed = 2, ChromaTvWeight = weight });
            RgbImage result = transfer.Stylize(content, [style]).OfType<ImageProduced>().Last().Image;
            return Reference(result);
        }

        double without = ChromaOf(0), with = ChromaOf(1e5);
        Assert.True(with < 0.75 * without, $"chroma TV {without} without the term, {with} with it");
    }

    [Fact]
    public void A_negative_weight_is_a_usage_error()
    {
        CliRun run = CliRun.Invoke("--content", "c.png", "--styles", "s.png", "--output", "o.png", "--chroma-tv-weight", "-1");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("neural-style: error: --chroma-tv-weight must not be negative (got -1)", run.ErrorLines.Single());
    }
}
