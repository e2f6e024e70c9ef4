using NeuralStyle.Backbones;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.Inspection;
using Xunit;

namespace NeuralStyle.Tests.Transfer;

/// <summary>The estimates run on sizes alone, so they must hold for any size: small probes, no overflow.</summary>
public class MemoryEstimatorTests
{
    [Theory]
    [InlineData(100000, 100000)]
    [InlineData(100000, 300)]
    [InlineData(300, 100000)]
    [InlineData(int.MaxValue, 1)]
    [InlineData(int.MaxValue, int.MaxValue)]
    [InlineData(451, 300)]
    [InlineData(37, 29)]
    public void The_probe_is_small_and_keeps_a_usable_short_side(int width, int height)
    {
        (int w, int h) = MemoryEstimator.ProbeSize(width, height);
        Assert.InRange((long)w * h, 1, 65536 + (2 * 64 * 1024));
        Assert.InRange(w, Math.Min(width, 64), width);
        Assert.InRange(h, Math.Min(height, 64), height);
    }

    [Fact]
    public void Small_images_are_probed_at_their_own_size()
    {
        Assert.Equal((451, 145), MemoryEstimator.ProbeSize(451, 145));
    }

    [Fact]
    public void Absurd_sizes_saturate_instead_of_overflowing()
    {
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu5_1");
        string[] layers = ["relu4_2", "relu5_1"];
        Assert.Equal(long.MaxValue, MemoryEstimator.EstimateBytes(network, layers, int.MaxValue, int.MaxValue, 0, 2));
        Assert.Equal(long.MaxValue, MemoryEstimator.EstimateForwardBytes(network, layers, int.MaxValue, int.MaxValue, 0));

        long large = MemoryEstimator.EstimateBytes(network, layers, 100000, 100000, 0, 2);
        Assert.True(large > 1L << 40, $"{large}");
        Assert.True(MemoryEstimator.EstimateForwardBytes(network, layers, 100000, 100000, 0) < large);
    }

    [Fact]
    public void Bf16_lowers_the_estimate_of_a_large_image_by_less_than_half_its_activations_and_adds_the_weights_copies()
    {
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu5_1");
        string[] layers = ["relu1_1", "relu4_2", "relu5_1"];
        long weights = network.WeightBytes;
        long Estimate(int side, ComputePrecision precision) => MemoryEstimator.EstimateBytes(network, layers, side, side, weights, 2, precision: precision);

        // Large: activations dominate; bf16 saves, but less than half the float32 activations' share (the tapped
        // features' float32 copies, the kernels' scratch), so the saving is never overstated.
        long fp32 = Estimate(4000, ComputePrecision.Float32), bf16 = Estimate(4000, ComputePrecision.BFloat16);
        double fp32Activations = fp32 - MemoryEstimator.BaselineBytes - weights - MemoryEstimator.OptimisedBytes(4000, 4000, 2, 0, false);
        Assert.True(bf16 < fp32, $"bf16 {bf16} against fp32 {fp32}");
        Assert.True(fp32 - bf16 < fp32Activations / 2, $"saving {fp32 - bf16} against half the activations {fp32Activations / 2}");

        // The weights' bfloat16 copies are counted: with no activations to speak of, bf16 costs more.
        Assert.Equal(weights / 2, ((IFeatureNetwork)network).BFloat16WeightBytes);
        double tiny = MemoryEstimator.BackboneBytes(0, 0, weights, weights / 2, ComputePrecision.BFloat16) - MemoryEstimator.BackboneBytes(0, 0, weights, weights / 2, ComputePrecision.Float32);
        Assert.Equal(weights / 2, tiny);
        Assert.Throws<ArgumentException>(() => MemoryEstimator.BackboneBytes(1, 1, weights, weights / 2, ComputePrecision.Auto));
    }

    [Fact]
    public void The_summary_estimate_grows_with_the_pixels_asked_for()
    {
        using ZooModel model = ModelZoo.Create("resnet18");
        var canonical = new InputShape(3, 224, 224);
        long atCanonical = SummaryMemory.EstimateBytes(model, canonical, canonical);
        long huge = SummaryMemory.EstimateBytes(model, canonical, new InputShape(3, 100000, 100000));
        Assert.InRange(atCanonical, MemoryEstimator.BaselineBytes, MemoryEstimator.BaselineBytes + (1L << 30));
        Assert.True(huge > 1L << 42, $"{huge}");
    }
}
