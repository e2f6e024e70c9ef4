using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.ENet;
using TorchSharp.Modules;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

public class ENetTests(ITestOutputHelper output)
{
    private static string Fixture(string file) => Path.Combine(Fixtures.Root, "zoo", "enet", file);

    private static JsonElement Listing()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Fixture("enet-keys.json")));
        return doc.RootElement.Clone();
    }

    private static T Module<T>(ZooModel model, string path)
        where T : class => (T)(object)model.named_modules().Single(m => m.name == path).module;

    [Fact]
    public void ParameterCountIsThePortsForEveryClassCount()
    {
        JsonElement listing = Listing();
        Assert.Equal(19, listing.GetProperty("classes").GetInt32());
        ModelInfo info = ModelZoo.Describe("enet");
        Assert.Equal(19, info.Classes);
        Assert.Equal(listing.GetProperty("parameters").GetInt64(), info.Parameters);
        foreach (JsonProperty entry in listing.GetProperty("parameters_by_classes").EnumerateObject())
        {
            using ZooModel model = ModelZoo.Create("enet", new ZooOptions(Classes: int.Parse(entry.Name, System.Globalization.CultureInfo.InvariantCulture), Seed: 1));
            Assert.Equal(entry.Value.GetInt64(), model.parameters().Sum(p => p.numel()));
        }

        using ZooModel byDefault = ModelZoo.Create("enet");
        Assert.Equal(info.Parameters, byDefault.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void StateDictKeysShapesAndDtypesAreThePortsInOrder()
    {
        ReferenceListing reference = ReferenceListing.Parse(Listing());
        using ZooModel model = ModelZoo.Create("enet", new ZooOptions(Seed: 1));
        reference.AssertSameAs(model.state_dict());
    }

    [Fact]
    public void AgreesWithThePortOnItsOwnWeights()
    {
        // The port's weights (nested {'state_dict': ...} like its checkpoints, non-trivial batch-norm statistics) and
        // eval-mode output on a 1x3x70x128 input, whose odd halvings exercise the decoder's output sizes.
        using ZooModel model = ModelZoo.Create("enet");
        AgreementResult result = TorchvisionAgreement.Compare("enet", model, new ReferenceRun(Fixture("state_dict.pth"), Fixture("input.npy"), Fixture("output.npy")));
        output.WriteLine(result.ToString());
        Assert.Equal([1L, 19, 70, 128], result.Shape);
        Assert.Equal(3L, model.state_dict()["initial_block.batch_norm.num_batches_tracked"].item<long>());
        result.AssertAgrees(1e-4);
    }

    [Fact]
    public void MultiplyAddsAreThePortsCountAtTheCanonicalInput()
    {
        ModelInfo info = ModelZoo.Describe("enet");
        Assert.Equal(new InputShape(3, 512, 512), info.Input);
        long counted = Listing().GetProperty("multiply_adds").GetProperty("3x512x512").GetProperty("conv_and_transposed_conv").GetInt64();
        Assert.Equal(Math.Round(counted / 1e9, 2), info.MultiplyAdds);
    }

    [Fact]
    public void OutputIsBatchByClassesByHeightByWidthAtTheCanonicalInput()
    {
        using ZooModel model = ModelZoo.Create("enet", new ZooOptions(Seed: 2));
        using var noGrad = no_grad();
        foreach (int batch in new[] { 1, 2 })
        {
            using Tensor input = randn(batch, 3, 512, 512, generator: new TorchSharp.torch.Generator(3));
            using Tensor output = model.call(input);
            Assert.Equal([batch, 19L, 512, 512], output.shape);
            Assert.True(output.isfinite().all().item<bool>());
        }
    }

    [Theory]
    [InlineData(70, 128)]
    [InlineData(67, 101)]
    [InlineData(33, 48)]
    public void OutputHasTheInputsSizeAlsoWhenHalvingLeavesOddSizes(int height, int width)
    {
        using ZooModel model = ModelZoo.Create("enet", new ZooOptions(Classes: 5, Seed: 2));
        using var noGrad = no_grad();
        using Tensor output = model.call(randn(1, 3, height, width));
        Assert.Equal([1L, 5, height, width], output.shape);
    }

    [Fact]
    public void BackwardGivesAFiniteNonZeroGradientOnEveryParameter()
    {
        using ZooModel model = ModelZoo.Create("enet", new ZooOptions(Seed: 4));
        model.train();
        using Tensor input = randn(2, 3, 64, 96, generator: new TorchSharp.torch.Generator(5));
        using Tensor target = randn(2, 19, 64, 96, generator: new TorchSharp.torch.Generator(6));
        using Tensor loss = model.call(input).sub(target).square().mean();
        loss.backward();
        foreach ((string key, Parameter parameter) in model.named_parameters())
        {
            Tensor? grad = parameter.grad;
            Assert.True(grad is not null, $"{key} has no gradient");
            Assert.Equal(parameter.shape, grad.shape);
            Assert.True(grad.isfinite().all().item<bool>(), $"{key} has a non-finite gradient");
            Assert.True(grad.abs().sum().item<float>() > 0, $"{key} has an all-zero gradient");
        }
    }

    [Fact]
    public void SpatialDropoutDropsWholeChannelsInTrainingOnly()
    {
        using ZooModel model = ModelZoo.Create("enet", new ZooOptions(Seed: 7));
        using var noGrad = no_grad();
        using Tensor input = randn(2, 3, 64, 96, generator: new TorchSharp.torch.Generator(8));
        string[] dropouts = ["regular2_1.ext_regul", "dilated2_2.ext_regul", "regular3_0.ext_regul", "regular4_1.ext_regul"];
        var seen = new List<(Tensor In, Tensor Out)>();
        var hooks = dropouts.Select(path => Module<NeuralStyle.Zoo.Blocks.ZooDropout>(model, path).register_forward_hook((_, x, y) =>
        {
            seen.Add((x.clone().DetachFromDisposeScope(), y.clone().DetachFromDisposeScope()));
            return y;
        })).ToList();

        // Evaluation: the identity, and two runs agree exactly.
        using Tensor first = model.call(input);
        using Tensor second = model.call(input);
        Assert.True(first.eq(second).all().item<bool>());
        Assert.Equal(2 * dropouts.Length, seen.Count);
        Assert.All(seen, s => Assert.True(s.In.eq(s.Out).all().item<bool>()));

        // Training: each (sample, channel) map is either all zero or the input scaled by 1 / (1 - p), p = 0.1.
        seen.Clear();
        model.train();
        manual_seed(9);
        using Tensor third = model.call(input);
        using Tensor fourth = model.call(input);
        Assert.False(third.eq(fourth).all().item<bool>());
        long dropped = 0;
        foreach ((Tensor x, Tensor y) in seen)
        {
            using Tensor zero = y.eq(0).flatten(2).all(2);
            using Tensor scaled = y.sub(x.div(0.9)).abs().le(x.abs().mul(1e-5).add(1e-7)).flatten(2).all(2);
            Assert.True(zero.logical_or(scaled).all().item<bool>(), "a dropout map is neither dropped whole nor kept whole");
            dropped += zero.sum().item<long>();
        }

        Assert.InRange(dropped, 1, seen.Sum(s => s.In.shape[0] * s.In.shape[1]) / 3);
        hooks.ForEach(h => h.remove());
    }

    [Fact]
    public void BatchNormUsesBatchStatisticsInTrainingAndRunningStatisticsInEvaluation()
    {
        using ZooModel model = ModelZoo.Create("enet", new ZooOptions(Seed: 10));
        using var noGrad = no_grad();
        var norm = Module<BatchNorm2d>(model, "initial_block.batch_norm");
        using Tensor a = randn(1, 3, 32, 48, generator: new TorchSharp.torch.Generator(11));
        using Tensor b = randn(1, 3, 32, 48, generator: new TorchSharp.torch.Generator(12)).mul(2).add(1);

        using Tensor alone = model.call(a);
        using Tensor together = model.call(cat([a, b], 0));
        Assert.True(alone[0].sub(together[0]).abs().max().item<float>() <= 1e-4 * alone.abs().max().item<float>());
        Assert.Equal(0L, norm.num_batches_tracked!.item<long>());

        model.train();
        model.named_modules().Select(m => m.module).OfType<NeuralStyle.Zoo.Blocks.ZooDropout>().ToList().ForEach(d => d.eval());
        using Tensor trainA = model.call(cat([a, b], 0));
        using Tensor trainB = model.call(cat([a, a.flip(3)], 0));
        Assert.True(trainA[0].sub(trainB[0]).abs().max().item<float>() > 1e-3);
        Assert.Equal(2L, norm.num_batches_tracked!.item<long>());
    }

    [Fact]
    public void DecoderUnpoolsAtTheEncodersArgmaxPositions()
    {
        using ZooModel model = ModelZoo.Create("enet", new ZooOptions(Seed: 13));
        using var noGrad = no_grad();
        var encoderInputs = new Dictionary<string, Tensor>();
        var unpooled = new Dictionary<string, Tensor>();
        var removals = new List<Action>();
        foreach (string down in new[] { "downsample1_0", "downsample2_0" })
        {
            removals.Add(Module<DownsamplingBottleneck>(model, down).register_forward_pre_hook((_, x) =>
            {
                encoderInputs[down] = x.clone().DetachFromDisposeScope();
                return x;
            }).remove);
        }

        foreach (string up in new[] { "upsample4_0", "upsample5_0" })
        {
            removals.Add(Module<SizedMaxUnpool2d>(model, up + ".main_unpool1").register_forward_hook((_, _, _, _, y) =>
            {
                unpooled[up] = y.clone().DetachFromDisposeScope();
                return y;
            }).remove);
        }

        // 68 halves to 34 then 17 (odd), so the second pooling drops a row that unpooling must leave at zero.
        using Tensor output = model.call(randn(1, 3, 68, 96, generator: new TorchSharp.torch.Generator(14)));
        removals.ForEach(remove => remove());

        AssertNonZeroExactlyAtWindowArgmax(encoderInputs["downsample2_0"], unpooled["upsample4_0"]);
        AssertNonZeroExactlyAtWindowArgmax(encoderInputs["downsample1_0"], unpooled["upsample5_0"]);
    }

    [Fact]
    public void BottlenecksPassTheCraftedMaximaThroughIndicesToTheUnpooling()
    {
        // Each 2x2 window has its maximum at a position that cycles through the four corners.
        const int channels = 16, size = 8;
        float[] values = new float[channels * size * size];
        var expected = new HashSet<long>();
        for (int c = 0; c < channels; c++)
        {
            for (int wy = 0; wy < size / 2; wy++)
            {
                for (int wx = 0; wx < size / 2; wx++)
                {
                    int corner = (c + wy + (2 * wx)) % 4;
                    int y = (2 * wy) + (corner / 2), x = (2 * wx) + (corner % 2);
                    values[(c * size * size) + (y * size) + x] = 10 + c + wy + wx;
                    expected.Add(((long)c * size * size) + (y * size) + x);
                }
            }
        }

        manual_seed(15);
        using var down = new DownsamplingBottleneck(channels, 64, 0.01, relu: false);
        using var up = new UpsamplingBottleneck(64, channels, 0.1, relu: true);
        down.eval();
        up.eval();
        using var noGrad = no_grad();
        using Tensor input = tensor(values, [1, channels, size, size]);
        (Tensor pooled, Tensor indices) = down.call(input);
        using Tensor flat = indices.flatten();
        long[] positions = flat.data<long>().ToArray();
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] += i / (size * size / 4) * size * size;
        }

        Assert.Equal(expected.Order(), positions.Order());

        Tensor? unpooledMain = null;
        var hook = ((SizedMaxUnpool2d)up.named_modules().Single(m => m.name == "main_unpool1").module).register_forward_hook((_, _, _, _, y) =>
        {
            unpooledMain = y.clone().DetachFromDisposeScope();
            return y;
        });
        using Tensor result = up.call(pooled, indices, input.shape);
        hook.remove();
        Assert.Equal(input.shape, result.shape);
        Assert.NotNull(unpooledMain);
        float[] main = unpooledMain.flatten().data<float>().ToArray();
        var nonZero = Enumerable.Range(0, main.Length).Where(i => main[i] != 0).Select(i => (long)i).ToHashSet();
        Assert.True(expected.SetEquals(nonZero), $"unpooled non-zeros {nonZero.Count}, expected {expected.Count} at the crafted maxima");
    }

    /// <summary>For each (sample, channel), <paramref name="unpooled"/> is non-zero exactly at the argmax of every 2x2/2 window of <paramref name="encoderInput"/>.</summary>
    private static void AssertNonZeroExactlyAtWindowArgmax(Tensor encoderInput, Tensor unpooled)
    {
        Assert.Equal(encoderInput.shape[0], unpooled.shape[0]);
        Assert.Equal(encoderInput.shape[2..], unpooled.shape[2..]);
        Assert.Equal(encoderInput.shape[1], unpooled.shape[1]);
        long planes = encoderInput.shape[0] * encoderInput.shape[1], height = encoderInput.shape[2], width = encoderInput.shape[3];
        float[] x = encoderInput.contiguous().flatten().data<float>().ToArray();
        float[] y = unpooled.contiguous().flatten().data<float>().ToArray();
        var argmax = new HashSet<long>();
        for (long p = 0; p < planes; p++)
        {
            for (long wy = 0; wy + 1 < height; wy += 2)
            {
                for (long wx = 0; wx + 1 < width; wx += 2)
                {
                    long best = -1;
                    foreach (long i in new[] { (wy * width) + wx, (wy * width) + wx + 1, ((wy + 1) * width) + wx, ((wy + 1) * width) + wx + 1 })
                    {
                        long at = (p * height * width) + i;
                        if (best < 0 || x[at] > x[best])
                        {
                            best = at;
                        }
                    }

                    argmax.Add(best);
                }
            }
        }

        var nonZero = Enumerable.Range(0, y.Length).Where(i => y[i] != 0).Select(i => (long)i).ToHashSet();
        Assert.Equal(planes * (height / 2) * (width / 2), argmax.Count);
        Assert.True(argmax.SetEquals(nonZero), $"{nonZero.Count} non-zeros, {argmax.Count} window maxima, {nonZero.Except(argmax).Count()} non-zeros off the maxima");
    }
}
