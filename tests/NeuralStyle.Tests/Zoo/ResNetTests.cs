using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.ResNet;
using TorchSharp.Modules;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

public class ResNetTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names => new() { "resnet18", "resnet34", "resnet50", "resnet101", "resnet152" };

    [Theory]
    [MemberData(nameof(Names))]
    public void ParameterCountIsTorchvisionsExactly(string name)
    {
        ReferenceListing reference = ReferenceListing.Torchvision(name);
        using ZooModel model = ModelZoo.Create(name, new ZooOptions(Seed: 1));
        long ours = model.parameters().Sum(p => p.numel());
        Assert.Equal(reference.Parameters, ours);
        Assert.Equal(reference.Parameters, ModelZoo.Describe(name).Parameters);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void StateDictKeysShapesAndDtypesAreTorchvisionsInOrder(string name)
    {
        ReferenceListing reference = ReferenceListing.Torchvision(name);
        using ZooModel model = ModelZoo.Create(name, new ZooOptions(Seed: 1));
        reference.AssertSameAs(model.state_dict());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void OutputIsBatchByClassesAtTheCanonicalInput(string name)
    {
        ModelInfo info = ModelZoo.Describe(name);
        Assert.Equal(new InputShape(3, 224, 224), info.Input);
        using ZooModel model = ModelZoo.Create(name, new ZooOptions(Seed: 2));
        using var noGrad = no_grad();
        foreach (int batch in new[] { 1, 2 })
        {
            using Tensor input = randn(batch, 3, 224, 224, generator: new TorchSharp.torch.Generator(3));
            using Tensor output = model.call(input);
            Assert.Equal([batch, 1000L], output.shape);
            Assert.True(output.isfinite().all().item<bool>());
        }
    }

    [Fact]
    public void RegisteringTheModelInAnotherModuleAddsNoKeys()
    {
        using ZooModel model = ModelZoo.Create("resnet18", new ZooOptions(Seed: 1));
        var keys = model.state_dict().Keys.ToHashSet();
        using var holder = new Holder(model);
        Assert.True(keys.Select(k => "net." + k).ToHashSet().SetEquals(holder.state_dict().Keys));
    }

    // torchvision builds each model with random weights at test time (their files are too large to commit), then our
    // model loads that state dict strictly and must give torchvision's eval-mode output on the same 2x3x224x224 input.
    [Fact]
    public void AgreesWithTorchvisionResNet18() => TorchvisionAgreement.Check("resnet18", output: output).AssertAgrees(1e-4);

    [Fact]
    public void AgreesWithTorchvisionResNet34() => TorchvisionAgreement.Check("resnet34", output: output).AssertAgrees(1e-4);

    [Fact]
    public void AgreesWithTorchvisionResNet50() => TorchvisionAgreement.Check("resnet50", output: output).AssertAgrees(1e-4);

    [Fact]
    public void AgreesWithTorchvisionResNet101() => TorchvisionAgreement.Check("resnet101", output: output).AssertAgrees(1e-4);

    [Fact]
    public void AgreesWithTorchvisionResNet152() => TorchvisionAgreement.Check("resnet152", output: output).AssertAgrees(1e-4);

    [Fact]
    public void ClassesOptionSizesTheFcLayer()
    {
        using ZooModel model = ModelZoo.Create("resnet50", new ZooOptions(Classes: 7, Seed: 1));
        Dictionary<string, Tensor> state = model.state_dict();
        Assert.Equal([7L, 2048], state["fc.weight"].shape);
        Assert.Equal([7L], state["fc.bias"].shape);
        using var noGrad = no_grad();
        using Tensor output = model.call(zeros(1, 3, 64, 64));
        Assert.Equal([1L, 7], output.shape);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void BackwardGivesAFiniteNonZeroGradientOnEveryParameter(string name)
    {
        using ZooModel model = ModelZoo.Create(name, new ZooOptions(Seed: 4));
        model.train();
        // 64x64 keeps the test fast; layer4 is still 2x2, so batch statistics are defined at batch 2.
        using Tensor input = randn(2, 3, 64, 64, generator: new TorchSharp.torch.Generator(5));
        using Tensor target = randn(2, 1000, generator: new TorchSharp.torch.Generator(6));
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
    public void TrainingUsesBatchStatisticsAndUpdatesRunningStatsEvaluationDoesNot()
    {
        using ZooModel model = ModelZoo.Create("resnet18", new ZooOptions(Seed: 7));
        using var noGrad = no_grad();
        using Tensor a = randn(1, 3, 64, 64, generator: new TorchSharp.torch.Generator(8));
        using Tensor b = randn(1, 3, 64, 64, generator: new TorchSharp.torch.Generator(9)).mul(3).add(1);
        using Tensor pair = cat([a, b], 0);
        var bn1 = (BatchNorm2d)model.named_modules().Single(m => m.name == "bn1").module;

        // Evaluation: a sample's output does not depend on the rest of the batch, and nothing is tracked.
        using Tensor meanBefore = bn1.running_mean!.clone();
        using Tensor alone = model.call(a);
        using Tensor together = model.call(pair);
        AssertClose(alone[0], together[0], 1e-4);
        Assert.Equal(0L, bn1.num_batches_tracked!.item<long>());
        Assert.True(bn1.running_mean!.eq(meanBefore).all().item<bool>());

        // Training: batch statistics, so b changes a's output; running statistics move.
        model.train();
        using Tensor trainTogether = model.call(pair);
        using Tensor trainOther = model.call(cat([a, a.flip(3)], 0));
        Assert.True(trainTogether[0].sub(trainOther[0]).abs().max().item<float>() > 1e-3);
        Assert.Equal(2L, bn1.num_batches_tracked!.item<long>());
        Assert.False(bn1.running_mean!.eq(meanBefore).all().item<bool>());
    }

    [Fact]
    public void InitialisationIsTorchvisions()
    {
        using ZooModel model = ModelZoo.Create("resnet50", new ZooOptions(Seed: 10));
        Dictionary<string, Tensor> state = model.state_dict();

        // kaiming_normal_(mode='fan_out', nonlinearity='relu'): std = sqrt(2 / (out_channels * kh * kw)).
        foreach (string key in new[] { "conv1.weight", "layer3.0.conv2.weight", "layer4.2.conv3.weight", "layer2.0.downsample.0.weight" })
        {
            Tensor w = state[key];
            double expected = Math.Sqrt(2.0 / (w.shape[0] * w.shape[2] * w.shape[3]));
            double std = w.std().item<float>();
            Assert.InRange(std / expected, 0.95, 1.05);
            Assert.InRange(Math.Abs(w.mean().item<float>()), 0, 0.1 * expected);
        }

        foreach (string key in state.Keys.Where(k => k.Contains("bn", StringComparison.Ordinal) || k.Contains("downsample.1", StringComparison.Ordinal)))
        {
            if (key.EndsWith(".weight", StringComparison.Ordinal))
            {
                Assert.True(state[key].eq(1).all().item<bool>(), key);
            }
            else if (key.EndsWith(".bias", StringComparison.Ordinal))
            {
                Assert.True(state[key].eq(0).all().item<bool>(), key);
            }
        }
    }

    [Fact]
    public void SameSeedSameWeightsOtherSeedOtherWeights()
    {
        using ZooModel a = ModelZoo.Create("resnet18", new ZooOptions(Seed: 11));
        using ZooModel b = ModelZoo.Create("resnet18", new ZooOptions(Seed: 11));
        using ZooModel c = ModelZoo.Create("resnet18", new ZooOptions(Seed: 12));
        Assert.True(a.state_dict()["layer1.0.conv1.weight"].eq(b.state_dict()["layer1.0.conv1.weight"]).all().item<bool>());
        Assert.False(a.state_dict()["layer1.0.conv1.weight"].eq(c.state_dict()["layer1.0.conv1.weight"]).all().item<bool>());
    }

    [Fact]
    public void DescriptionsCarryTorchvisionsFigures()
    {
        (string Name, double MultiplyAdds, string Top1)[] expected =
        [
            ("resnet18", 1.81, "69.76"), ("resnet34", 3.66, "73.31"), ("resnet50", 4.09, "76.13"),
            ("resnet101", 7.80, "77.37"), ("resnet152", 11.51, "78.31"),
        ];
        foreach ((string name, double multiplyAdds, string top1) in expected)
        {
            ModelInfo info = ModelZoo.Describe(name);
            Assert.Equal("ResNet", info.Family);
            Assert.Equal(2015, info.Year);
            Assert.Equal(1000, info.Classes);
            Assert.Equal(multiplyAdds, info.MultiplyAdds);
            Assert.StartsWith(top1, info.Accuracy, StringComparison.Ordinal);
            Assert.Equal(ImagePreprocessing.ImageNet().Crop, info.Preprocessing.Crop);
            Assert.Equal(ImagePreprocessing.ImageNet().Mean, info.Preprocessing.Mean);
        }
    }

    private sealed class Holder : TorchSharp.torch.nn.Module<Tensor, Tensor>
    {
        private readonly ZooModel _net;

        public Holder(ZooModel net)
            : base(nameof(Holder))
        {
            _net = net;
            register_module("net", net);
        }

        public override Tensor forward(Tensor input) => _net.call(input);
    }

    private static void AssertClose(Tensor actual, Tensor expected, double relative)
    {
        double scale = expected.abs().max().item<float>();
        double error = actual.sub(expected).abs().max().item<float>();
        Assert.True(error <= relative * scale, $"max error {error:G3} exceeds {relative:G1} x {scale:G3}");
    }
}

/// <summary>A reference implementation's parameter count and state-dict listing (key, shape, dtype, in order).</summary>
internal sealed record ReferenceListing(long Parameters, IReadOnlyList<(string Key, long[] Shape, string Dtype)> Keys)
{
    /// <summary>torchvision's listing of <paramref name="name"/> (Fixtures/zoo/torchvision-keys.json).</summary>
    public static ReferenceListing Torchvision(string name)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "zoo", "torchvision-keys.json")));
        return Parse(doc.RootElement.GetProperty("models").GetProperty(name));
    }

    /// <summary>Reads an object with "parameters" and "keys": [[key, shape, dtype], ...].</summary>
    public static ReferenceListing Parse(JsonElement model)
    {
        var keys = model.GetProperty("keys").EnumerateArray()
            .Select(e => (e[0].GetString()!, e[1].EnumerateArray().Select(d => d.GetInt64()).ToArray(), e[2].GetString()!))
            .ToList();
        return new ReferenceListing(model.GetProperty("parameters").GetInt64(), keys);
    }

    /// <summary>Asserts that <paramref name="state"/> has exactly these keys, shapes and dtypes, in this order.</summary>
    public void AssertSameAs(Dictionary<string, Tensor> state)
    {
        var ours = state.Select(kv => (kv.Key, kv.Value.shape, Dtype(kv.Value.dtype))).ToList();
        Assert.Equal(Keys.Select(k => k.Key), ours.Select(o => o.Key));
        for (int i = 0; i < Keys.Count; i++)
        {
            Assert.True(Keys[i].Shape.SequenceEqual(ours[i].shape), $"{Keys[i].Key}: shape [{string.Join(",", ours[i].shape)}], reference [{string.Join(",", Keys[i].Shape)}]");
            Assert.True(Keys[i].Dtype == ours[i].Item3, $"{Keys[i].Key}: dtype {ours[i].Item3}, reference {Keys[i].Dtype}");
        }
    }

    private static string Dtype(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Int64 => "int64",
        _ => type.ToString(),
    };
}
