using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Transfer;

public class StyleTransferSettingsTests
{
    [Fact]
    public void DefaultStyleLayerWeightsAreAllOneAsInTheSeed()
    {
        var weights = new StyleTransferSettings().StyleLayerWeights(BackboneDefaults.Vgg);
        Assert.Equal(BackboneDefaults.Vgg.StyleLayers, weights.Select(w => w.Layer));
        Assert.All(weights, w => Assert.Equal(1.0, w.Weight, 12));
    }

    [Fact]
    public void GeometricStyleLayerWeightsSumToTheLayerCount()
    {
        var weights = new StyleTransferSettings { StyleLayerWeightExp = 2 }.StyleLayerWeights(BackboneDefaults.Vgg);
        double[] expected = [.. new[] { 1.0, 2, 4, 8, 16 }.Select(w => w * 5 / 31)];
        Assert.Equal(expected, weights.Select(w => w.Weight), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void ContentBlendSplitsBetweenRelu42AndRelu52()
    {
        Assert.Equal([new LayerWeight("relu4_2", 1.0)], new StyleTransferSettings().ContentLayerWeights(BackboneDefaults.Vgg));
        Assert.Equal(
            [new LayerWeight("relu4_2", 0.25), new LayerWeight("relu5_2", 0.75)],
            new StyleTransferSettings { ContentWeightBlend = 0.25 }.ContentLayerWeights(BackboneDefaults.Vgg));
    }

    [Fact]
    public void ExplicitLayersReplaceTheDefaults()
    {
        var settings = new StyleTransferSettings
        {
            ContentLayers = [new LayerWeight("conv3", 2)],
            StyleLayers = [new LayerWeight("a", 1), new LayerWeight("b", 3)],
            StyleLayerWeightExp = 10,
            ContentWeightBlend = 0.5,
        };
        Assert.Equal([new LayerWeight("conv3", 2)], settings.ContentLayerWeights(BackboneDefaults.Vgg));
        Assert.Equal([new LayerWeight("a", 1), new LayerWeight("b", 3)], settings.StyleLayerWeights(BackboneDefaults.Vgg));
        Assert.Equal(["conv3", "a", "b"], settings.LayersInUse(BackboneDefaults.Vgg));
    }

    [Fact]
    public void BlendWeightsAreNormalisedToSumOne()
    {
        Assert.Equal([0.75, 0.25], new StyleTransferSettings { StyleBlendWeights = [3, 1] }.NormalisedBlendWeights(2));
        Assert.Equal([0.5, 0.5], new StyleTransferSettings().NormalisedBlendWeights(2));
        Assert.Throws<ArgumentException>(() => new StyleTransferSettings { StyleBlendWeights = [1] }.NormalisedBlendWeights(2));
    }

    [Theory]
    [InlineData(0, null, null)]
    [InlineData(-5, null, null)]
    [InlineData(10, 0, null)]
    [InlineData(10, null, -1)]
    public void NonPositiveCountsAreRefused(int iterations, int? print, int? checkpoint)
    {
        var settings = new StyleTransferSettings { Iterations = iterations, PrintIterations = print, CheckpointIterations = checkpoint };
        Assert.Throws<ArgumentException>(settings.Validate);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
