using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Tensors;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Losses;
using NeuralStyle.Zoo;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

public class InspectionBackboneTests
{
    [Fact]
    public void Vgg19AliasesAreTheSeedsLayersAtTorchvisionsIndices()
    {
        using ZooFeatureNetwork network = ZooFeatureNetwork.Load("vgg19", stateDict: null);
        Assert.Equal("features.1", network.Resolve("relu1_1"));
        Assert.Equal("features.6", network.Resolve("relu2_1"));
        Assert.Equal("features.11", network.Resolve("relu3_1"));
        Assert.Equal("features.20", network.Resolve("relu4_1"));
        Assert.Equal("features.22", network.Resolve("relu4_2"));
        Assert.Equal("features.29", network.Resolve("relu5_1"));
        Assert.Equal("features.31", network.Resolve("relu5_2"));
        Assert.Equal("features.0", network.Resolve("conv1_1"));
        Assert.Equal("features.36", network.Resolve("pool5"));
        Assert.Equal("features.22", network.Resolve("features.22"));
        Assert.Equal(BackboneDefaults.Vgg.ContentLayers, network.Defaults.ContentLayers);
        Assert.Equal(BackboneDefaults.Vgg.StyleLayers, network.Defaults.StyleLayers);
        Assert.Equal(FeatureSmoothing.None, network.Defaults.Smoothing);
        // No picture settings of its own: the seed's, as for the MatConvNet VGG files.
        Assert.Null(network.Defaults.Picture);
        Assert.Contains("relu4_2", Assert.Throws<ArgumentException>(() => network.Resolve("relu6_1")).Message.Replace("relu6_1", "relu4_2", StringComparison.Ordinal));

        // The same tensor through the alias and the path; the pass stops at relu2_1.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = randn(1, 3, 32, 32);
        var features = network.Extract(x, ["relu2_1", "features.6"]);
        Assert.True(features["relu2_1"].allclose(features["features.6"], rtol: 0, atol: 0));
        Assert.Equal([1L, 128, 16, 16], features["relu2_1"].shape);
    }

    [Fact]
    public void SqueezeNetDefaultsAreTheEndsOfItsStagesAndItsPixelsTorchvisions()
    {
        using ZooFeatureNetwork network = ZooFeatureNetwork.Load("squeezenet1_1", stateDict: null);
        // 111x111 (conv), 55x55 (fire 3-4), 27x27 (fire 6-7), 13x13 (fire 9-12): style on each stage's last layer,
        // content on the middle of the second-to-last.
        Assert.Equal(["features.1", "features.4", "features.7", "features.12"], network.Defaults.StyleLayers);
        Assert.Equal(["features.6"], network.Defaults.ContentLayers);
        Assert.Equal(FeatureSmoothing.Swag, network.Defaults.Smoothing);
        Assert.Equal(NetworkFiles.TorchvisionPixels.ToString(), network.Pixels.ToString());
        Assert.Equal(NetworkFiles.TorchvisionPixels.Std, network.Pixels.Std);
        Assert.DoesNotContain(network.Parameters(), p => p.requires_grad);
        Assert.Empty(network.Aliases);
    }

    [Fact]
    public void ResNetDefaultsFollowTheBundledResNet18()
    {
        using ZooFeatureNetwork resnet18 = ZooFeatureNetwork.Load("resnet18", stateDict: null);
        Assert.Equal(BundledResNet18.Defaults.StyleLayers, resnet18.Defaults.StyleLayers);
        Assert.Equal(BundledResNet18.Defaults.ContentLayers, resnet18.Defaults.ContentLayers);
        Assert.Equal(FeatureSmoothing.Swag, resnet18.Defaults.Smoothing);
        // The SWAG weights carried over from BGR 0..255 to torchvision's units: TV grows by (255 std)^2, the step shrinks by 255 std.
        double scale = 1 / (255 * (0.229 + 0.224 + 0.225) / 3);
        Assert.InRange(resnet18.Defaults.EffectiveWeights.Tv / (BundledResNet18.Defaults.EffectiveWeights.Tv / (scale * scale)), 1 - 1e-6, 1 + 1e-6);
        Assert.InRange(resnet18.Defaults.EffectiveWeights.LearningRate / (BundledResNet18.Defaults.EffectiveWeights.LearningRate * scale), 1 - 1e-6, 1 + 1e-6);
        Assert.Equal(BundledResNet18.Defaults.EffectiveWeights.Style, resnet18.Defaults.EffectiveWeights.Style);
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("squeezenet1_1")]
    [InlineData("googlenet")]
    public void NonVggDefaultsTakeTheBundledResNet18sPictureSettingsWithTheirTermsTheSameSize(string name)
    {
        using ZooFeatureNetwork network = ZooFeatureNetwork.Load(name, stateDict: null);
        PictureDefaults bundled = BundledResNet18.Defaults.Picture!;
        PictureDefaults picture = Assert.IsType<PictureDefaults>(network.Defaults.Picture);
        Assert.Equal(bundled with { ChromaTvWeight = picture.ChromaTvWeight }, picture);

        // One picture in both networks' units: the weighted TV and chroma TV terms come out the same size, so each
        // weighs as much against the (unit-free) SWAG losses as in the bundled ResNet-18. TV is computed in the
        // network's units (its weight grows by 1/scale^2); chroma TV in 0..255 pixels (its weight stays).
        var rng = new Random(5);
        var image = new RgbImage(24, 16, [.. Enumerable.Range(0, 24 * 16 * 3).Select(_ => (float)(rng.NextDouble() * 255))]);
        using var scope = NewDisposeScope();
        Tensor ours = ImageTensors.Preprocess(image, network.Pixels), theirs = ImageTensors.Preprocess(image, BundledResNet18.Pixels);
        double chroma = ChromaTotalVariation.Of(ours, network.Pixels).item<float>() * picture.ChromaTvWeight;
        double bundledChroma = ChromaTotalVariation.Of(theirs, BundledResNet18.Pixels).item<float>() * bundled.ChromaTvWeight;
        Assert.InRange(chroma / bundledChroma, 1 - 1e-4, 1 + 1e-4);
        double tv = GatysLosses.TotalVariation(ours).item<float>() * network.Defaults.EffectiveWeights.Tv;
        double bundledTv = GatysLosses.TotalVariation(theirs).item<float>() * BundledResNet18.Defaults.EffectiveWeights.Tv;
        // Within the spread of torchvision's per-channel deviations (0.224 .. 0.229) around their mean, squared.
        Assert.InRange(tv / bundledTv, 0.97, 1.03);
    }

    [Fact]
    public void GoogLeNetDefaultsAreItsInceptionStages()
    {
        using ZooFeatureNetwork network = ZooFeatureNetwork.Load("googlenet", stateDict: null);
        Assert.Equal(["conv1", "conv3", "inception3b", "inception4e", "inception5b"], network.Defaults.StyleLayers);
        Assert.Equal(["inception4c"], network.Defaults.ContentLayers);
        Assert.DoesNotContain(network.LayerNames, n => n.StartsWith("aux", StringComparison.Ordinal));
    }

    [Fact]
    public void AOneChannelModelSeesTheLuma()
    {
        using ZooFeatureNetwork network = ZooFeatureNetwork.Load("lenet5-modern", stateDict: null);
        string first = network.LayerNames[0];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor rgb = randn(1, 3, 32, 32);
        Tensor luma = (rgb * tensor(new[] { 0.299f, 0.587f, 0.114f }, [1, 3, 1, 1])).sum(1, keepdim: true);
        Tensor viaBackbone = network.Extract(rgb, [first])[first];
        Tensor direct = NeuralStyle.Zoo.Inspection.ZooFeatures.Extract(network.Model, luma, [first])[first];
        Assert.True(viaBackbone.allclose(direct, rtol: 1e-5, atol: 1e-6));
        Assert.Equal(3, network.Pixels.Mean.Length);
    }
}

file static class ZooFeatureNetworkExtensions
{
    public static IEnumerable<TorchSharp.Modules.Parameter> Parameters(this ZooFeatureNetwork network) => network.Model.parameters();
}
