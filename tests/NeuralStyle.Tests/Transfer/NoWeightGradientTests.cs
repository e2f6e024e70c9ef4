using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.MatConvNet;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

/// <summary>
/// Issue 14's audit "no weight gradients anywhere": with each kind of backbone (VGG from a MatConvNet file, the bundled
/// ResNet-18 through the ONNX importer, a zoo model) the objective's backward pass gives the image a gradient and no
/// weight one, and after a short run of the whole loop no weight requires a gradient or holds one. The last test shows
/// the check sees a weight that does.
/// </summary>
public class NoWeightGradientTests
{
    [Fact]
    public void Vgg_weights_get_no_gradient_only_the_image_does()
    {
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu5_1");
        CheckNetwork(network, () => VggWeights(network), new StyleTransferSettings(), 40);
    }

    [Fact]
    public void Bundled_ResNet18_weights_get_no_gradient_only_the_image_does()
    {
        using OnnxFeatureNetwork network = BundledResNet18.Load();
        var settings = new StyleTransferSettings { ContentWeight = 5e4, StyleWeight = 5e8, TvWeight = 5, LearningRate = 2 };
        CheckNetwork(network, () => network.Graph.Constants.Select(c => (c.Key, c.Value)), settings, 64);
    }

    [Fact]
    public void Zoo_model_weights_and_buffers_get_no_gradient_only_the_image_does()
    {
        using ZooFeatureNetwork network = ZooFeatureNetwork.Load("resnet18", stateDict: null);
        CheckNetwork(network, () => network.Model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(network.Model.named_buffers().Select(b => (b.name, b.buffer))), new StyleTransferSettings(), 64);
    }

    [Fact]
    public void The_check_finds_a_weight_that_requires_a_gradient()
    {
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu5_1");
        // In the plain layout the convolutions read the weights themselves; the channels-last copies are made without
        // gradient tracking, so a thawed original would get no gradient through them.
        network.ChannelsLast = false;
        VggLayer conv = network.Layers.First(l => l.Name == "conv3_1");
        conv.Weight!.requires_grad_(true);

        (bool imageGradient, IReadOnlyList<string> thawed) = BackwardOnce(network, new StyleTransferSettings(), 40, VggWeights(network));

        Assert.True(imageGradient);
        Assert.Equal(["conv3_1.weight"], thawed);
        Assert.Equal(["conv3_1.weight requires a gradient", "conv3_1.weight holds a gradient"], Violations(VggWeights(network)));
    }

    private static IEnumerable<(string, Tensor)> VggWeights(VggFeatureNetwork network) =>
        network.Layers.Where(l => l.Weight is not null).SelectMany(l => new[] { ($"{l.Name}.weight", l.Weight!), ($"{l.Name}.bias", l.Bias!) });

    private static void CheckNetwork(IFeatureNetwork network, Func<IEnumerable<(string Name, Tensor Value)>> weights, StyleTransferSettings settings, int size)
    {
        Assert.NotEmpty(weights());
        Assert.Empty(Violations(weights()));

        (bool imageGradient, IReadOnlyList<string> thawed) = BackwardOnce(network, settings, size, weights());
        Assert.True(imageGradient, "the image got no gradient");
        Assert.Empty(thawed);

        // The whole loop (Adam, two steps, the final evaluation) leaves them as they were.
        var transfer = new StyleTransfer(network, settings with { Iterations = 2, Seed = 1 });
        Assert.Single(transfer.Stylize(Image(size, 1), [Image(size, 2)]).OfType<ImageProduced>());
        Assert.Empty(Violations(weights()));
    }

    // One forward and backward pass of the objective at a random image that requires a gradient: whether the image
    // got a non-zero one, and which weights (named) got one.
    private static (bool ImageGradient, IReadOnlyList<string> Thawed) BackwardOnce(IFeatureNetwork network, StyleTransferSettings settings, int size, IEnumerable<(string Name, Tensor Value)> weights)
    {
        using var scope = NewDisposeScope();
        settings = settings with { Seed = 1 };
        using var objective = new GatysObjective(network, settings, network.Pixels, Image(size, 1), [Image(size, 2)]);
        Tensor image = (randn(1, 3, size, size, generator: new Generator(4)) * 50).requires_grad_(true);
        (Tensor content, Tensor style, Tensor tv) = objective.Evaluate(image);
        (content + style + tv).backward();
        bool imageGradient = image.grad is Tensor g && g.abs().sum().item<float>() > 0;
        return (imageGradient, [.. weights.Where(w => w.Value.grad is not null).Select(w => w.Name)]);
    }

    private static List<string> Violations(IEnumerable<(string Name, Tensor Value)> weights)
    {
        var found = new List<string>();
        foreach ((string name, Tensor value) in weights)
        {
            if (value.requires_grad)
            {
                found.Add($"{name} requires a gradient");
            }

            if (value.grad is not null)
            {
                found.Add($"{name} holds a gradient");
            }
        }

        return found;
    }

    private static RgbImage Image(int size, int seed)
    {
        var random = new Random(seed);
        return new RgbImage(size, size, [.. Enumerable.Range(0, size * size * 3).Select(_ => (float)(random.NextDouble() * 255))]);
    }
}
