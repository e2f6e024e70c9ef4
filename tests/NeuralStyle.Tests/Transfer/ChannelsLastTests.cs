using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Losses;
using NeuralStyle.Weights.MatConvNet;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

/// <summary>
/// VGG's float32 channels-last layout (issue 14, item 2) computes what the plain layout computes: the features are laid
/// out channels-last and hold the same values, their Gram matrices agree, and a short run's losses follow the plain
/// layout's to float32 rounding.
/// </summary>
public class ChannelsLastTests
{
    private static readonly string[] Layers = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu4_2", "relu5_1"];

    [Fact]
    public void Channels_last_features_and_their_Gram_matrices_equal_the_plain_layouts()
    {
        using var scope = NewDisposeScope();
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu5_1");
        Tensor image = randn([1, 3, 40, 48], generator: new Generator(5)) * 60;
        Assert.True(network.ChannelsLast);
        IReadOnlyDictionary<string, Tensor> nhwc = network.Extract(image, Layers);
        network.ChannelsLast = false;
        IReadOnlyDictionary<string, Tensor> plain = network.Extract(image, Layers);
        foreach (string layer in Layers)
        {
            Assert.True(GatysLosses.IsChannelsLast(nhwc[layer]) || nhwc[layer].shape[2] * nhwc[layer].shape[3] == 1, $"{layer} is not channels-last");
            Assert.True(plain[layer].is_contiguous(), $"{layer} of the plain layout is not contiguous");
            Assert.True(nhwc[layer].allclose(plain[layer], rtol: 1e-4, atol: 1e-4), $"{layer}: the features differ");
            Tensor gram = GatysLosses.Gram(nhwc[layer]), reference = GatysLosses.Gram(plain[layer]);
            Assert.True(gram.allclose(reference, rtol: 1e-4, atol: 1e-6 * reference.abs().max().item<float>()), $"{layer}: the Gram matrices differ");
        }
    }

    [Fact]
    public void A_run_in_channels_last_gives_the_plain_layouts_losses()
    {
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu5_1");
        var settings = new StyleTransferSettings { Iterations = 5, PrintIterations = 1, Seed = 2 };
        double[] nhwc = Losses(network, settings);
        network.ChannelsLast = false;
        double[] plain = Losses(network, settings);
        Assert.Equal(5, plain.Length);
        for (int i = 0; i < plain.Length; i++)
        {
            Assert.True(Math.Abs(nhwc[i] - plain[i]) <= 1e-4 * Math.Abs(plain[i]), $"iteration {i + 1}: {nhwc[i]} against {plain[i]}");
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
