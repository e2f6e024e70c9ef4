using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Npy;
using NeuralStyle.Weights.PyTorch;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.FractalNet;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

/// <summary>The zoo's default FractalNet (33.7 M parameters), built once for the tests that need the real size.</summary>
public sealed class DefaultFractalNet : IDisposable
{
    public DefaultFractalNet()
    {
        Model = (FractalNetModel)ModelZoo.Create("fractalnet", new ZooOptions(Seed: 0));
    }

    public FractalNetModel Model { get; }

    public void Dispose() => Model.Dispose();
}

public class FractalNetTests(DefaultFractalNet fixture, ITestOutputHelper output) : IClassFixture<DefaultFractalNet>
{
    private static readonly string FixtureDir = Path.Combine(Fixtures.Root, "zoo", "fractalnet");

    // B = 3, C = 3, channels 8/16/16, dropout 0/.1/.2: the fixture b3c3's configuration (32x32 input, a 4x4 map for the FC).
    private static readonly FractalNetConfig Small = new() { Channels = [8, 16, 16], Dropout = [0.0, 0.1, 0.2] };

    private FractalNetModel Default => fixture.Model;

    [Fact]
    public void ParameterCountIsThePortsExactly()
    {
        using JsonDocument keys = ReadJson("keys.json");
        long c10 = keys.RootElement.GetProperty("parameters").GetProperty("10").GetInt64();
        long c100 = keys.RootElement.GetProperty("parameters").GetProperty("100").GetInt64();
        Assert.Equal(33_724_618, c10);
        Assert.Equal(33_770_788, c100);

        Assert.Equal(c10, Default.parameters().Sum(p => p.numel()));
        Assert.Equal(c10, ModelZoo.Describe("fractalnet").Parameters);

        using var hundred = ModelZoo.Create("fractalnet", new ZooOptions(Classes: 100, Seed: 1));
        Assert.Equal(c100, hundred.parameters().Sum(p => p.numel()));
        using var noGrad = no_grad();
        using Tensor x = randn(1, 3, 32, 32);
        Assert.Equal([1L, 100], hundred.call(x).shape);
    }

    [Fact]
    public void StateDictKeysShapesAndDtypesAreThePortsInOrder()
    {
        using JsonDocument keys = ReadJson("keys.json");
        var expected = keys.RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => $"{k[0].GetString()} [{string.Join(",", k[1].EnumerateArray().Select(d => d.GetInt64()))}] {k[2].GetString()}")
            .ToList();
        var ours = PyTorchOrderStateDict(Default)
            .Select(e => $"{e.Key} [{string.Join(",", e.Value.shape)}] {DtypeName(e.Value.dtype)}")
            .ToList();
        Assert.Equal(212, expected.Count);
        Assert.Equal(expected, ours);

        // TorchSharp's own state_dict (what load_state_dict checks) has the same keys, in its own order.
        Assert.Equal(expected.Select(e => e.Split(' ')[0]).Order(StringComparer.Ordinal), Default.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("b3c3")]
    [InlineData("b2c4")]
    public void SmallConfigurationsHaveThePortsKeysAndCounts(string name)
    {
        using JsonDocument config = ReadJson($"small-{name}/config.json");
        using var model = new FractalNetModel(ConfigOf(config.RootElement));
        Assert.Equal(config.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetString()), PyTorchOrderStateDict(model).Select(e => e.Key));
        Assert.Equal(config.RootElement.GetProperty("parameters").GetInt64(), model.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData("b3c3")]
    [InlineData("b2c4")]
    public void AgreesWithThePortOnItsWeights(string name)
    {
        // khanrc's own forward on the same state dict and input: eval (every column), deepest (its column
        // extraction) and training mode with dropout and drop-path off (batch statistics, running-statistics update).
        string dir = Path.Combine(FixtureDir, $"small-{name}");
        using JsonDocument json = ReadJson($"small-{name}/config.json");
        FractalNetConfig config = ConfigOf(json.RootElement);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = NpyFile.ReadTensor(Path.Combine(dir, "input.npy"));

        var model = new FractalNetModel(config);
        PyTorchCheckpoint.LoadInto(model, Path.Combine(dir, "state_dict.pth"), strict: true);
        model.eval();
        Agreement($"{name} eval", model.call(input), Path.Combine(dir, "eval.npy")).AssertAgrees(1e-4);
        Agreement($"{name} deepest column", model.ExtractColumn(config.Columns - 1).call(input), Path.Combine(dir, "deepest.npy")).AssertAgrees(1e-4);
        Agreement($"{name} global drop-path, deepest column", model.Forward(input, DropPathPlan.Global(config.Columns - 1)), Path.Combine(dir, "deepest.npy")).AssertAgrees(1e-4);

        var plain = new FractalNetModel(config with { Dropout = [.. config.Dropout.Select(_ => 0.0)], LocalDropProbability = 0, GlobalDropFraction = 0 });
        PyTorchCheckpoint.LoadInto(plain, Path.Combine(dir, "state_dict.pth"), strict: true);
        plain.train();
        Agreement($"{name} train", plain.call(input), Path.Combine(dir, "train.npy")).AssertAgrees(1e-4);
        IReadOnlyDictionary<string, Tensor> after = PyTorchCheckpoint.Read(Path.Combine(dir, "train_state_dict.pth"));
        Dictionary<string, Tensor> ours = plain.state_dict();
        Assert.Equal(after.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        double worst = 0;
        foreach ((string key, Tensor expected) in after)
        {
            if (key.EndsWith("num_batches_tracked", StringComparison.Ordinal))
            {
                Assert.Equal(4, ours[key].item<long>());
                Assert.Equal(4, expected.item<long>());
                continue;
            }

            double diff = ours[key].sub(expected).abs().max().item<float>() / Math.Max(1e-12, expected.abs().max().item<float>());
            worst = Math.Max(worst, diff);
            Assert.True(diff <= 1e-4, $"{key} after a training step: relative difference {diff:g3}");
        }

        output.WriteLine($"{name} train: state after the step, worst relative difference {worst:g3}");
    }

    [Fact]
    public void MultiplyAddsCountedOnTheNetworkAreThePortsAndTheTables()
    {
        using JsonDocument keys = ReadJson("keys.json");
        long reference = keys.RootElement.GetProperty("multiply_adds").GetInt64();
        long counted = 0;
        var hooks = new List<Action>();
        foreach ((string _, nn.Module module) in Default.named_modules())
        {
            if (module is Conv2d conv)
            {
                var remover = conv.register_forward_hook((m, input, output) =>
                {
                    counted += output.numel() * conv.weight!.shape[1] * conv.weight.shape[2] * conv.weight.shape[3];
                    return output;
                });
                hooks.Add(remover.remove);
            }
            else if (module is Linear linear)
            {
                var remover = linear.register_forward_hook((m, input, output) =>
                {
                    counted += output.numel() * linear.in_features;
                    return output;
                });
                hooks.Add(remover.remove);
            }
        }

        try
        {
            using var noGrad = no_grad();
            using Tensor x = zeros(1, 3, 32, 32);
            Default.call(x);
        }
        finally
        {
            hooks.ForEach(remove => remove());
        }

        Assert.Equal(845_222_912, reference);
        Assert.Equal(reference, counted);
        double table = ModelZoo.Describe("fractalnet").MultiplyAdds * 1e9;
        Assert.InRange(Math.Abs(table - counted) / counted, 0, 0.001);
        Assert.InRange(Math.Abs(0.85e9 - counted) / 0.85e9, 0, 0.02);
    }

    [Fact]
    public void DescriptionIsTheCifarNetwork()
    {
        ModelInfo info = ModelZoo.Describe("fractalnet");
        Assert.Equal(("FractalNet", 2016, new InputShape(3, 32, 32), 10), (info.Family, info.Year, info.Input, info.Classes));
        Assert.Contains("khanrc/pt.fractalnet", info.Reference);
        Assert.Contains("05eed3f9aa54a29691442b0cab5faa17c43b6a7a", info.Reference);
        Assert.Equal((32, 32), (info.Preprocessing.ResizeShorterSide, info.Preprocessing.Crop));
        Assert.Equal(0.4914f, info.Preprocessing.Mean[0], 3);
        Assert.Equal(0.2616f, info.Preprocessing.Std[2], 3);
        Assert.Equal(20, Default.ExtractColumn(2).Depth);
        Assert.Equal(5, Default.ExtractColumn(0).Depth);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void OutputIsOneLogitPerClass(int batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor output = Default.call(randn(batch, 3, 32, 32));
        Assert.Equal([(long)batch, 10], output.shape);
        Assert.True(output.isfinite().all().item<bool>());
    }

    [Fact]
    public void BackwardGivesAFiniteGradientToEveryParameter()
    {
        using var scope = NewDisposeScope();
        Default.train();
        try
        {
            Default.zero_grad();
            Tensor x = randn(2, 3, 32, 32);
            Tensor loss = nn.functional.cross_entropy(Default.Forward(x, DropPathPlan.AllColumns), tensor(new long[] { 3, 7 }));
            loss.backward();
            foreach ((string name, Parameter p) in Default.named_parameters())
            {
                Tensor? grad = p.grad;
                Assert.True(grad is not null, $"{name} has no gradient");
                Assert.True(grad.isfinite().all().item<bool>(), $"{name} has a non-finite gradient");
                Assert.True(grad.abs().max().item<float>() > 0, $"{name}'s gradient is zero");
            }
        }
        finally
        {
            Default.zero_grad();
            Default.eval();
        }
    }

    [Fact]
    public void EvaluationIsDeterministicAndUsesEveryColumn()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(3);
        var model = new FractalNetModel(Small);
        model.eval();
        Tensor x = randn(2, 3, 32, 32);
        Tensor first = model.call(x);
        Assert.Same(DropPathPlan.AllColumns, model.LastDropPath);
        Assert.True(Identical(first, model.call(x)));

        // Every column contributes: changing any one column's weights changes the output.
        for (int c = 0; c < Small.Columns; c++)
        {
            var changed = new FractalNetModel(Small);
            changed.load_state_dict(model.state_dict());
            changed.eval();
            Perturb(changed.Block(1).Column(c).Units.First());
            Assert.False(first.allclose(changed.call(x), rtol: 1e-4, atol: 1e-5), $"column {c} does not reach the output");
        }
    }

    [Fact]
    public void DropoutAndDropPathActOnlyInTraining()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = randn(4, 3, 32, 32);

        // Neither: training mode is deterministic (batch statistics only).
        var none = new FractalNetModel(Small with { Dropout = [0.0, 0.0, 0.0], LocalDropProbability = 0, GlobalDropFraction = 0 });
        none.train();
        Assert.True(Identical(none.call(x), none.call(x)));

        // Dropout alone, then drop-path alone: each makes training runs differ, never evaluation runs.
        var dropout = new FractalNetModel(Small with { Dropout = [0.3, 0.3, 0.3], LocalDropProbability = 0, GlobalDropFraction = 0 });
        var dropPath = new FractalNetModel(Small with { Dropout = [0.0, 0.0, 0.0] }) { DropPathGenerator = new Generator(5) };
        foreach (FractalNetModel model in new[] { dropout, dropPath })
        {
            model.train();
            Tensor a = model.call(x);
            bool differs = Enumerable.Range(0, 5).Any(_ => !a.allclose(model.call(x), rtol: 1e-5, atol: 1e-6));
            Assert.True(differs);
            model.eval();
            Assert.True(Identical(model.call(x), model.call(x)));
            Assert.Same(DropPathPlan.AllColumns, model.LastDropPath);
        }
    }

    [Fact]
    public void TrainingDrawsItsDropPathFromTheSampler()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var config = Small with { Dropout = [0.0, 0.0, 0.0] };
        var model = new FractalNetModel(config);
        model.train();
        Tensor x = randn(3, 3, 32, 32);
        int global = 0;
        for (int seed = 0; seed < 8; seed++)
        {
            model.DropPathGenerator = new Generator((ulong)seed);
            Tensor trained = model.call(x);
            DropPathPlan plan = DropPathSampler.Sample(config, 3, new Generator((ulong)seed));
            Assert.Equal(plan.GlobalColumn, model.LastDropPath!.GlobalColumn);
            global += plan.GlobalColumn is null ? 0 : 1;
            Assert.True(Identical(trained, model.Forward(x, plan)), $"seed {seed}");
        }

        Assert.InRange(global, 1, 7);
    }

    [Fact]
    public void GlobalDropPathMakesTheOutputOneColumns()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var config = Small with { Dropout = [0.0, 0.0, 0.0] };
        manual_seed(4);
        var model = new FractalNetModel(config);
        Tensor x = randn(2, 3, 32, 32);
        foreach (bool training in new[] { true, false })
        {
            model.train(training);
            for (int c = 0; c < config.Columns; c++)
            {
                var copy = new FractalNetModel(config);
                copy.load_state_dict(model.state_dict());
                copy.train(training);
                Tensor before = model.Forward(x, DropPathPlan.Global(c));
                for (int b = 0; b < config.Blocks; b++)
                {
                    for (int other = 0; other < config.Columns; other++)
                    {
                        if (other != c)
                        {
                            copy.Block(b).Column(other).Units.ToList().ForEach(Perturb);
                        }
                    }
                }

                Assert.True(Identical(before, copy.Forward(x, DropPathPlan.Global(c))), $"column {c}, training {training}");
                Perturb(copy.Block(2).Column(c).Units.Last());
                Assert.False(before.allclose(copy.Forward(x, DropPathPlan.Global(c)), rtol: 1e-4, atol: 1e-5), $"column {c} is not used");
            }
        }
    }

    [Fact]
    public void GlobalDropPathTakesTheConfiguredFractionOfMiniBatchesAndEveryColumn()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var config = new FractalNetConfig { Columns = 4, Channels = [4, 4] };
        var columns = new int[4];
        int global = 0;
        const int draws = 1000;
        for (int i = 0; i < draws; i++)
        {
            DropPathPlan plan = DropPathSampler.Sample(config, 2, generator);
            if (plan.GlobalColumn is int c)
            {
                global++;
                columns[c]++;
                Assert.Null(plan.LocalMasks);
            }
            else
            {
                Assert.NotNull(plan.LocalMasks);
            }
        }

        // Binomial(1000, 0.5): sd 16; each column about 125 of them.
        Assert.InRange(global, 420, 580);
        Assert.All(columns, n => Assert.InRange(n, 70, 190));

        var quarter = config with { GlobalDropFraction = 0.25 };
        int q = Enumerable.Range(0, draws).Count(_ => DropPathSampler.Sample(quarter, 1, generator).GlobalColumn is not null);
        Assert.InRange(q, 190, 310);
        var never = config with { GlobalDropFraction = 0 };
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Null(DropPathSampler.Sample(never, 1, generator).GlobalColumn));
    }

    [Theory]
    [InlineData(0.15)]
    [InlineData(0.9)]
    public void LocalDropPathKeepsAtLeastOneInputOfEveryJoin(double drop)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var config = new FractalNetConfig { Columns = 4, Channels = [4, 4, 4], LocalDropProbability = drop, GlobalDropFraction = 0 };
        const int batch = 64;
        long inputs = 0, dropped = 0, lone = 0, samples = 0;
        for (int i = 0; i < 20; i++)
        {
            DropPathPlan plan = DropPathSampler.Sample(config, batch, generator);
            Assert.Null(plan.GlobalColumn);
            Assert.Equal(config.Blocks, plan.LocalMasks!.Count);
            foreach (IReadOnlyList<Tensor?> block in plan.LocalMasks)
            {
                Assert.Equal(config.Depth, block.Count);
                for (int depth = 0; depth < config.Depth; depth++)
                {
                    int width = FractalLayout.JoinWidth(config.Columns, depth);
                    Tensor? mask = block[depth];
                    if (width == 1)
                    {
                        Assert.Null(mask);
                        continue;
                    }

                    Assert.Equal([(long)width, batch], mask!.shape);
                    Tensor alive = mask.sum([0]);
                    Assert.True(alive.ge(1).all().item<bool>(), "a sample lost every input of a join");
                    inputs += width * batch;
                    dropped += width * batch - alive.sum().item<long>();
                    lone += alive.eq(1).sum().item<long>();
                    samples += batch;
                }
            }
        }

        double rate = (double)dropped / inputs;
        if (drop < 0.5)
        {
            // Widths 2, 3 and 4 here; the survivor rule lowers the rate a little below 0.15.
            Assert.InRange(rate, 0.12, 0.16);
        }
        else
        {
            // Most joins lose everything and keep exactly the one revived input.
            Assert.InRange((double)lone / samples, 0.8, 1.0);
            Assert.InRange(rate, 0.6, 0.9);
        }
    }

    [Fact]
    public void LocalMasksSelectTheJoinInputs()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var config = Small with { Dropout = [0.0, 0.0, 0.0] };
        var model = new FractalNetModel(config);
        model.eval();
        Tensor x = randn(2, 3, 32, 32);

        // Masks that keep every input are the plain mean.
        var all = Enumerable.Range(0, config.Blocks).Select(_ => (IReadOnlyList<Tensor?>)Enumerable.Range(0, config.Depth)
            .Select(d => (Tensor?)ones([FractalLayout.JoinWidth(config.Columns, d), 2], ScalarType.Bool)).ToList()).ToList();
        Assert.True(model.call(x).allclose(model.Forward(x, DropPathPlan.Local(all)), rtol: 1e-5, atol: 1e-6));

        // Per sample: sample 0 keeps only column c at every join, sample 1 keeps everything.
        for (int c = 0; c < config.Columns; c++)
        {
            Tensor mixed = model.Forward(x, DropPathPlan.Local(OneHotMasks(config, c, keepAllInSample1: true)));
            Tensor column = model.Forward(x, DropPathPlan.Global(c));
            Tensor full = model.call(x);
            Assert.True(mixed[0].allclose(column[0], rtol: 1e-5, atol: 1e-6), $"column {c}");
            Assert.True(mixed[1].allclose(full[1], rtol: 1e-5, atol: 1e-6), $"column {c}");
        }
    }

    [Fact]
    public void AnyColumnExtractsAsAPlainNetworkWithTheSameOutput()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var config = new FractalNetConfig { Columns = 4, Channels = [4, 8], Dropout = [0.0, 0.0], InputSize = 16, Classes = 7 };
        manual_seed(5);
        var model = new FractalNetModel(config);
        RandomiseBatchNorm(model);
        Tensor x = randn(3, 3, 16, 16);
        foreach (bool training in new[] { false, true })
        {
            model.train(training);
            for (int c = 0; c < config.Columns; c++)
            {
                FractalColumnNetwork column = model.ExtractColumn(c);
                Assert.Equal(training, column.training);
                Assert.Equal(config.Blocks << c, column.Depth);
                Tensor plain = column.call(x);
                Assert.Equal([3L, 7], plain.shape);

                // Global drop-path runs the column's own code path; one-hot local masks go through every join.
                Assert.True(plain.allclose(model.Forward(x, DropPathPlan.Global(c)), rtol: 1e-5, atol: 1e-6), $"column {c}, training {training}");
                if (!training)
                {
                    Assert.True(plain.allclose(model.Forward(x, DropPathPlan.Local(OneHotMasks(config, c, keepAllInSample1: false))), rtol: 1e-5, atol: 1e-6), $"column {c} via joins");
                }

                // A copy: it lives on after its network is changed.
                long units = column.named_modules().Count(m => m.module is FractalConvUnit);
                Assert.Equal(config.Blocks << c, units);
            }
        }

        var first = model.ExtractColumn(0);
        model.eval();
        first.eval();
        Tensor before = first.call(x);
        Perturb(model.Block(0).Column(0).Units.First());
        Assert.True(Identical(before, first.call(x)));
    }

    [Fact]
    public void ConfigurationIsValidated()
    {
        Assert.Throws<ArgumentException>(() => new FractalNetModel(new FractalNetConfig { Columns = 0 }));
        Assert.Throws<ArgumentException>(() => new FractalNetModel(new FractalNetConfig { Dropout = [0.1] }));
        Assert.Throws<ArgumentException>(() => new FractalNetModel(new FractalNetConfig { InputSize = 48 }));
        Assert.Throws<ArgumentException>(() => new FractalNetModel(new FractalNetConfig { LocalDropProbability = 1 }));
        using var model = new FractalNetModel(Small);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ExtractColumn(3));
        using Tensor x = zeros(1, 3, 32, 32);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(x, DropPathPlan.Global(3)));
    }

    private static List<IReadOnlyList<Tensor?>> OneHotMasks(FractalNetConfig config, int column, bool keepAllInSample1)
    {
        // At joins that include the column, keep only it; joins without it feed nothing the column reads.
        var blocks = new List<IReadOnlyList<Tensor?>>();
        int batch = keepAllInSample1 ? 2 : 3;
        for (int b = 0; b < config.Blocks; b++)
        {
            var joins = new List<Tensor?>();
            for (int depth = 0; depth < config.Depth; depth++)
            {
                int first = FractalLayout.FirstColumnAt(config.Columns, depth);
                Tensor mask = zeros([config.Columns - first, batch], ScalarType.Bool);
                if (column >= first)
                {
                    mask[column - first] = tensor(true);
                }

                if (keepAllInSample1)
                {
                    mask[.., 1] = tensor(true);
                }

                joins.Add(mask);
            }

            blocks.Add(joins);
        }

        return blocks;
    }

    private AgreementResult Agreement(string name, Tensor ours, string referenceFile)
    {
        Tensor reference = NpyFile.ReadTensor(referenceFile);
        Assert.Equal(reference.shape, ours.shape);
        double diff = ours.to(ScalarType.Float64).sub(reference.to(ScalarType.Float64)).abs().max().item<double>();
        var result = new AgreementResult(name, ours.shape, diff, reference.abs().max().to(ScalarType.Float64).item<double>());
        output.WriteLine(result.ToString());
        return result;
    }

    private static bool Identical(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static void Perturb(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (Parameter p in module.parameters())
        {
            p.add_(randn_like(p).mul_(0.5));
        }
    }

    private static void RandomiseBatchNorm(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach ((string _, nn.Module m) in model.named_modules())
        {
            if (m is BatchNorm2d bn)
            {
                bn.weight!.copy_(rand_like(bn.weight).add_(0.5));
                bn.bias!.copy_(randn_like(bn.bias).mul_(0.1));
                bn.running_mean!.copy_(randn_like(bn.running_mean).mul_(0.1));
                bn.running_var!.copy_(rand_like(bn.running_var).add_(0.5));
            }
        }
    }

    private static FractalNetConfig ConfigOf(JsonElement config) => new()
    {
        Columns = config.GetProperty("columns").GetInt32(),
        Channels = [.. config.GetProperty("channels").EnumerateArray().Select(c => c.GetInt32())],
        Dropout = [.. config.GetProperty("dropout").EnumerateArray().Select(d => d.GetDouble())],
        Classes = config.GetProperty("classes").GetInt32(),
        InputSize = config.GetProperty("input").GetInt32(),
    };

    private static JsonDocument ReadJson(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDir, file)));

    /// <summary>The state dict in PyTorch's order: each module's parameters, then its buffers, then its children (TorchSharp lists all parameters first).</summary>
    private static IEnumerable<KeyValuePair<string, Tensor>> PyTorchOrderStateDict(nn.Module module, string prefix = "")
    {
        foreach ((string name, Parameter p) in module.named_parameters(recurse: false))
        {
            yield return new(prefix + name, p);
        }

        foreach ((string name, Tensor b) in module.named_buffers(recurse: false, include_nonpersistent: false))
        {
            yield return new(prefix + name, b);
        }

        foreach ((string name, nn.Module child) in module.named_children())
        {
            foreach (KeyValuePair<string, Tensor> entry in PyTorchOrderStateDict(child, prefix + name + "."))
            {
                yield return entry;
            }
        }
    }

    private static string DtypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Int64 => "int64",
        _ => type.ToString(),
    };
}
