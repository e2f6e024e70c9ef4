using NeuralStyle.Transfer.Losses;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

/// <summary>Gram and mean/std style losses, and what every variant must satisfy (gradients, shapes, ownership).</summary>
public class StyleLossTests
{
    /// <summary>Deterministic standard-normal tensor (each test its own generator, so tests do not share RNG state).</summary>
    internal static Tensor Randn(ulong seed, params long[] shape)
    {
        using var generator = new Generator(seed, CPU);
        return randn(shape, ScalarType.Float32, generator: generator);
    }

    /// <summary>The same activation with its H*W pixels shuffled (every channel by the same permutation).</summary>
    internal static Tensor ShufflePixels(Tensor features, ulong seed)
    {
        long c = features.shape[1], h = features.shape[2], w = features.shape[3];
        using var generator = new Generator(seed, CPU);
        using Tensor order = randperm(h * w, generator: generator);
        using Tensor flat = features.reshape(c, h * w);
        using Tensor shuffled = flat.index_select(1, order);
        return shuffled.reshape(1, c, h, w);
    }

    [Fact]
    public void GramEqualsTheSeedTermBitForBit()
    {
        using Tensor style = Randn(1, 1, 4, 3, 5);
        using Tensor current = Randn(2, 1, 4, 6, 2);
        using IStyleTarget target = StyleLosses.Create(StyleLossKind.Gram).Target(style);
        using Tensor loss = target.Loss(current);

        // What GatysObjective computes for one layer.
        using Tensor styleGram = GatysLosses.Gram(style);
        using Tensor currentGram = GatysLosses.Gram(current);
        using Tensor seed = GatysLosses.MeanSquaredError(currentGram, styleGram);

        Assert.True(loss.item<float>() > 0);
        Assert.Equal(seed.item<float>(), loss.item<float>());
    }

    [Fact]
    public void GramIsZeroForIdenticalFeatures()
    {
        using Tensor style = Randn(3, 1, 4, 3, 5);
        using IStyleTarget target = StyleLosses.Create(StyleLossKind.Gram).Target(style);
        using Tensor loss = target.Loss(style);
        Assert.Equal(0f, loss.item<float>());
    }

    [Fact]
    public void MeanStdMatchesTheHandComputedExample()
    {
        // 1 x 2 x 1 x 2. Current: channel 0 = [1, 3] (mean 2, variance 1), channel 1 = [2, 2] (mean 2, variance 0).
        // Style: channel 0 = [0, 0] (mean 0, variance 0), channel 1 = [1, 5] (mean 3, variance 4).
        using Tensor current = tensor(new float[] { 1, 3, 2, 2 }, [1, 2, 1, 2]);
        using Tensor style = tensor(new float[] { 0, 0, 1, 5 }, [1, 2, 1, 2]);
        using IStyleTarget target = StyleLosses.Create(StyleLossKind.MeanStd).Target(style);
        using Tensor loss = target.Loss(current);

        double e = MeanStdStyleLoss.Epsilon;
        double means = (Math.Pow(2 - 0, 2) + Math.Pow(2 - 3, 2)) / 2;
        double stds = (Math.Pow(Math.Sqrt(1 + e) - Math.Sqrt(e), 2) + Math.Pow(Math.Sqrt(e) - Math.Sqrt(4 + e), 2)) / 2;
        // About 2.5 + 2.4905: the epsilon moves the zero-variance standard deviations to sqrt(1e-5) = 0.0032.
        Assert.Equal(means + stds, loss.item<float>(), 5);
    }

    [Fact]
    public void MeanStdIsZeroForIdenticalFeatures()
    {
        using Tensor style = Randn(4, 1, 3, 4, 5);
        using IStyleTarget target = StyleLosses.Create(StyleLossKind.MeanStd).Target(style);
        using Tensor loss = target.Loss(style);
        Assert.Equal(0f, loss.item<float>());
    }

    [Fact]
    public void MeanStdIgnoresWhereThePixelsAre()
    {
        using Tensor style = Randn(5, 1, 3, 4, 5);
        using Tensor current = Randn(6, 1, 3, 4, 5) * 2 + 1;
        using Tensor shuffled = ShufflePixels(current, 7);
        using IStyleTarget target = StyleLosses.Create(StyleLossKind.MeanStd).Target(style);
        using Tensor loss = target.Loss(current);
        using Tensor shuffledLoss = target.Loss(shuffled);
        Assert.True(loss.item<float>() > 0.1f);
        Assert.Equal(loss.item<float>(), shuffledLoss.item<float>(), 5);
    }

    [Theory]
    [InlineData(StyleLossKind.Gram)]
    [InlineData(StyleLossKind.MeanStd)]
    [InlineData(StyleLossKind.Wasserstein2)]
    [InlineData(StyleLossKind.Sliced)]
    public void BackwardGivesFiniteNonZeroGradients(StyleLossKind kind)
    {
        using Tensor style = Randn(8, 1, 4, 5, 5) * 1.5 + 0.5;
        using Tensor current = Randn(9, 1, 4, 4, 6).requires_grad_(true);
        using IStyleTarget target = StyleLosses.Create(kind, seed: 1).Target(style);
        using Tensor loss = target.Loss(current);
        loss.backward();

        using Tensor grad = current.grad ?? throw new InvalidOperationException("no gradient");
        float[] values = grad.data<float>().ToArray();
        Assert.All(values, v => Assert.True(float.IsFinite(v)));
        Assert.True(values.Sum(Math.Abs) > 1e-6, $"{kind}: gradient is zero");
    }

    [Theory]
    [InlineData(StyleLossKind.MeanStd)]
    [InlineData(StyleLossKind.Wasserstein2)]
    [InlineData(StyleLossKind.Sliced)]
    public void ConstantChannelsStillGiveFiniteGradients(StyleLossKind kind)
    {
        // A dead ReLU channel (zero variance) is where a plain sqrt has an infinite derivative.
        using Tensor style = Randn(10, 1, 2, 3, 3);
        using Tensor current = zeros([1, 2, 3, 3], ScalarType.Float32).requires_grad_(true);
        using IStyleTarget target = StyleLosses.Create(kind, seed: 1).Target(style);
        using Tensor loss = target.Loss(current);
        loss.backward();

        using Tensor grad = current.grad ?? throw new InvalidOperationException("no gradient");
        Assert.True(float.IsFinite(loss.item<float>()));
        Assert.All(grad.data<float>().ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(StyleLossKind.Gram)]
    [InlineData(StyleLossKind.MeanStd)]
    [InlineData(StyleLossKind.Wasserstein2)]
    [InlineData(StyleLossKind.Sliced)]
    public void TargetsOutliveTheCallersDisposeScope(StyleLossKind kind)
    {
        // GatysObjective builds its targets inside a dispose scope; they must survive it.
        using Tensor style = Randn(11, 1, 3, 4, 4);
        IStyleTarget target;
        using (var scope = NewDisposeScope())
        {
            target = StyleLosses.Create(kind, seed: 1).Target(style);
        }

        using (target)
        {
            using Tensor loss = target.Loss(style);
            Assert.True(Math.Abs(loss.item<float>()) < 1e-3f, $"{kind}: {loss.item<float>()}");
        }
    }

    [Fact]
    public void BatchedActivationsAreRefused()
    {
        using Tensor batch = Randn(12, 2, 3, 4, 4);
        Assert.Throws<ArgumentException>(() => StyleLosses.Create(StyleLossKind.MeanStd).Target(batch));
    }
}
