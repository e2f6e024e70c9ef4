using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.MatConvNet;
using Xunit;

namespace NeuralStyle.Tests.Transfer;

/// <summary>Issue 14's candidate engine options compute the same losses as the current code (float32 rounding apart).</summary>
public class EngineVariantsTests
{
    [Theory]
    [InlineData("channels-last")]
    [InlineData("one-scalar-read")]
    [InlineData("fused-gram")]
    [InlineData("gram-backward")]
    public void A_variant_gives_the_current_codes_losses(string variant)
    {
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu5_1");
        var settings = new StyleTransferSettings { Iterations = 5, PrintIterations = 1, Seed = 2 };
        network.ChannelsLast = false;
        double[] baseline = Losses(network, settings);
        network.ChannelsLast = variant == "channels-last";
        double[] ours = Losses(network, settings with { Variants = new EngineVariants(variant == "one-scalar-read", variant == "fused-gram", variant == "gram-backward") });
        Assert.Equal(baseline.Length, ours.Length);
        for (int i = 0; i < baseline.Length; i++)
        {
            Assert.True(Math.Abs(ours[i] - baseline[i]) <= 1e-4 * Math.Abs(baseline[i]), $"iteration {i + 1}: {ours[i]} against {baseline[i]}");
        }
    }

    private static double[] Losses(IFeatureNetwork network, StyleTransferSettings settings)
    {
        var random = new Random(1);
        RgbImage Image() => new(40, 40, [.. Enumerable.Range(0, 40 * 40 * 3).Select(_ => (float)(random.NextDouble() * 255))]);
        RgbImage content = Image(), style = Image();
        return [.. new StyleTransfer(network, settings).Stylize(content, [style]).OfType<LossesEvaluated>().Select(l => l.Losses.Total)];
    }
}
