using NeuralStyle.Transfer.Losses;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

/// <summary>The sliced Wasserstein style loss: sorted projections, quantile resampling, fresh seeded directions.</summary>
public class StyleLossSlicedTests
{
    [Fact]
    public void IsZeroForAPixelPermutationOfTheSameFeatures()
    {
        using var scope = NewDisposeScope();
        Tensor style = StyleLossTests.Randn(30, 1, 5, 4, 6) * 2;
        Tensor current = StyleLossTests.ShufflePixels(style, 31);
        using IStyleTarget target = StyleLosses.Create(StyleLossKind.Sliced, seed: 3).Target(style);
        for (int call = 0; call < 3; call++)
        {
            Assert.Equal(0.0, target.Loss(current).item<float>(), 1e-6);
        }
    }

    [Fact]
    public void OneChannelIsTheMeanSquaredDifferenceOfSortedValues()
    {
        // Sorted: [1, 2, 3, 5] against [0, 1, 1, 4]; differences 1, 1, 2, 1. The direction is +1 or -1, which
        // reverses both sorted lists alike.
        using var scope = NewDisposeScope();
        Tensor current = tensor(new float[] { 3, 1, 2, 5 }, [1, 1, 2, 2]);
        Tensor style = tensor(new float[] { 0, 4, 1, 1 }, [1, 1, 2, 2]);
        using IStyleTarget target = StyleLosses.Create(StyleLossKind.Sliced, seed: 4).Target(style);
        for (int call = 0; call < 4; call++)
        {
            Assert.Equal(7f / 4, target.Loss(current).item<float>(), 6);
        }
    }

    [Fact]
    public void DifferentPixelCountsCompareQuantiles()
    {
        // Current [3, 1] (N = 2), style [4, 0, 2, 1] (Ns = 4, sorted 0, 1, 2, 4). Sample i of 2 is the quantile
        // (i + 1/2) / 2, i.e. style positions 0.5 and 2.5: values 0.5 and 3. Loss = ((1 - 0.5)^2 + (3 - 3)^2) / 2.
        using var scope = NewDisposeScope();
        Tensor current = tensor(new float[] { 3, 1 }, [1, 1, 1, 2]);
        Tensor style = tensor(new float[] { 4, 0, 2, 1 }, [1, 1, 2, 2]);
        using IStyleTarget target = StyleLosses.Create(StyleLossKind.Sliced, seed: 5).Target(style);
        for (int call = 0; call < 4; call++)
        {
            Assert.Equal(0.125f, target.Loss(current).item<float>(), 6);
        }
    }

    [Fact]
    public void ResampleInterpolatesSortedValuesAtQuantileMidpoints()
    {
        using var scope = NewDisposeScope();
        Tensor sorted = tensor(new float[] { 0, 1, 2, 4 }, [4, 1]);
        // Upsampling to 8: positions (i + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, ..., 3.25 (clamped to 3).
        Assert.Equal(new float[] { 0, 0.25f, 0.75f, 1.25f, 1.75f, 2.5f, 3.5f, 4 }, SlicedWassersteinStyleLoss.Resample(sorted, 8).data<float>().ToArray());
        Assert.Equal(new float[] { 0.5f, 3 }, SlicedWassersteinStyleLoss.Resample(sorted, 2).data<float>().ToArray());
        Assert.Equal(new float[] { 0, 1, 2, 4 }, SlicedWassersteinStyleLoss.Resample(sorted, 4).data<float>().ToArray());
    }

    [Fact]
    public void IsPositiveForDifferentDistributions()
    {
        using var scope = NewDisposeScope();
        Tensor current = StyleLossTests.Randn(32, 1, 3, 5, 5);
        Tensor style = (StyleLossTests.Randn(33, 1, 3, 4, 6) * 3) + 2;
        using IStyleTarget target = StyleLosses.Create(StyleLossKind.Sliced, seed: 6).Target(style);
        Assert.True(target.Loss(current).item<float>() > 0.5f);
    }

    [Fact]
    public void DrawsFreshDirectionsEachCallInASeededSequence()
    {
        using var scope = NewDisposeScope();
        Tensor current = StyleLossTests.Randn(34, 1, 2, 4, 4);
        Tensor style = StyleLossTests.Randn(35, 1, 2, 4, 4) * tensor(new float[] { 3, 0.2f }).reshape(1, 2, 1, 1);

        float[] Sequence(long seed)
        {
            using IStyleTarget target = StyleLosses.Create(StyleLossKind.Sliced, seed).Target(style);
            return [.. Enumerable.Range(0, 3).Select(_ => target.Loss(current).item<float>())];
        }

        float[] first = Sequence(7);
        Assert.NotEqual(first[0], first[1]);
        Assert.NotEqual(first[1], first[2]);
        Assert.Equal(first, Sequence(7));
        Assert.NotEqual(first, Sequence(8));
    }
}
