using NeuralStyle.Tests.Support;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.AlexNet;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

/// <summary>torchvision's AlexNet and the paper's (LRN, two groups).</summary>
public class AlexNetTests(ITestOutputHelper output)
{
    [Fact]
    public void TorchvisionAlexNetMeetsTheCriteria()
    {
        ModelInfo info = ModelZoo.Describe("alexnet");
        manual_seed(1);
        using ZooModel model = ModelZoo.Create("alexnet");
        ClassicZooChecks.AssertMatchesReference(model, info, ClassicZooChecks.Torchvision("alexnet"));
        ClassicZooChecks.AssertOutputShapes(model, info.Input, 1000);
        ClassicZooChecks.AssertDropoutOnlyInTraining(model, info.Input);
        ClassicZooChecks.AssertBackward(model, info.Input);
    }

    [Fact]
    public void TorchvisionAlexNetAgreesWithTorchvision() => TorchvisionAgreement.Check("alexnet", batch: 2, output: output).AssertAgrees(1e-4);

    [Fact]
    public void OriginalAlexNetMeetsTheCriteria()
    {
        ModelInfo info = ModelZoo.Describe("alexnet-original");
        Assert.Equal(new InputShape(3, 227, 227), info.Input);
        Assert.Equal(60_965_224, info.Parameters);
        manual_seed(2);
        using ZooModel model = ModelZoo.Create("alexnet-original");
        ClassicZooChecks.AssertMatchesReference(model, info, ClassicZooChecks.KeysFile("alexnet-original", "keys.json"));
        ClassicZooChecks.AssertOutputShapes(model, info.Input, 1000);
        ClassicZooChecks.AssertDropoutOnlyInTraining(model, info.Input);
        ClassicZooChecks.AssertBackward(model, info.Input);
    }

    [Fact]
    public void OriginalAlexNetSaysWhichInputItNeeds()
    {
        using ZooModel model = ModelZoo.Create("alexnet-original");
        using var noGrad = no_grad();
        var e = Assert.Throws<ArgumentException>(() => model.call(zeros(1, 3, 224, 224)));
        Assert.Contains("3x227x227", e.Message);
        Assert.Contains("256x5x5", e.Message);
    }

    [Fact]
    public void OriginalAlexNetStartsWithThePapersWeights()
    {
        manual_seed(4);
        using ZooModel model = ModelZoo.Create("alexnet-original");
        foreach ((string key, Tensor value) in model.state_dict())
        {
            if (key.EndsWith(".weight", StringComparison.Ordinal))
            {
                Assert.Equal(0.01, value.std().item<float>(), 0.0005);
            }
            else
            {
                float expected = key is "features.4.bias" or "features.10.bias" or "features.12.bias" or "classifier.0.bias" or "classifier.3.bias" ? 1 : 0;
                Assert.True(value.eq(expected).all().item<bool>(), $"{key} is not all {expected}");
            }
        }
    }

    [Fact]
    public void LocalResponseNormIsThePapersFormula()
    {
        // b_i = a_i / (k + alpha * sum_{j = max(0, i - n/2)}^{min(N - 1, i + n/2)} a_j^2)^beta, written out on 7 channels.
        using var lrn = nn.LocalResponseNorm(AlexNetOriginal.LrnSize, AlexNetOriginal.LrnAlpha * AlexNetOriginal.LrnSize, AlexNetOriginal.LrnBeta, AlexNetOriginal.LrnK);
        manual_seed(9);
        using Tensor a = randn(2, 7, 3, 4, dtype: ScalarType.Float64) * 60;
        using Tensor b = lrn.call(a);
        double[] x = a.data<double>().ToArray();
        double[] y = b.data<double>().ToArray();
        const int channels = 7, plane = 12;
        for (int n = 0; n < 2; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int p = 0; p < plane; p++)
                {
                    double sum = 0;
                    for (int j = Math.Max(0, c - 2); j <= Math.Min(channels - 1, c + 2); j++)
                    {
                        double v = x[((n * channels) + j) * plane + p];
                        sum += v * v;
                    }

                    int at = ((n * channels) + c) * plane + p;
                    double expected = x[at] / Math.Pow(2 + 1e-4 * sum, 0.75);
                    Assert.Equal(expected, y[at], 1e-9 * Math.Abs(expected) + 1e-12);
                }
            }
        }
    }

    [Fact]
    public void OriginalAlexNetAgreesWithPyTorch()
    {
        // Weights and input from the integer hash of tests/fixture-scripts/make_classic_zoo_fixtures.py (nothing large committed).
        using ZooModel model = ModelZoo.Create("alexnet-original");
        HashWeights.Fill(model);
        using var noGrad = no_grad();
        using Tensor input = HashWeights.Tensor(1000, [1, 3, 227, 227], bound: 100);
        using Tensor actual = model.call(input);
        using Tensor expected = ClassicZooChecks.ReadNpy("alexnet-original", "output.npy");
        (double maxAbs, double relative) = ClassicZooChecks.Difference(actual, expected);
        output.WriteLine($"alexnet-original vs PyTorch (float64 reference): max abs diff {maxAbs:G3}, relative {relative:G3}");
        Assert.True(relative < 1e-4, $"relative difference {relative}");
    }
}

/// <summary>The deterministic weights of make_classic_zoo_fixtures.py: exact integer hashing, then correctly rounded double steps, so numpy and C# agree bit for bit.</summary>
internal static class HashWeights
{
    /// <summary>Fills every state-dict tensor in order (tensor t gets <see cref="Values"/>(t, ...)).</summary>
    public static void Fill(nn.Module model)
    {
        using var noGrad = no_grad();
        int t = 0;
        foreach ((string _, Tensor value) in model.state_dict())
        {
            using Tensor filled = Tensor(t++, value.shape);
            value.copy_(filled);
        }
    }

    /// <summary>Tensor number <paramref name="t"/> of <paramref name="shape"/>; bound: sqrt(6 / fan-in) for 2+ dimensions, 0.1 for vectors.</summary>
    public static Tensor Tensor(int t, long[] shape, double? bound = null)
    {
        long fanIn = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        double b = bound ?? (shape.Length >= 2 ? Math.Sqrt(6.0 / fanIn) : 0.1);
        return tensor(Values(t, shape.Aggregate(1L, (a, c) => a * c), b), shape);
    }

    private static float[] Values(int t, long count, double bound)
    {
        var values = new float[count];
        ulong offset = unchecked((ulong)(t + 1) * 2246822519UL);
        for (long i = 0; i < count; i++)
        {
            ulong h = unchecked(((ulong)i * 2654435761UL) + offset) & 0xFFFFFFFFUL;
            values[i] = (float)(((2.0 * h / 4294967296.0) - 1.0) * bound);
        }

        return values;
    }
}
