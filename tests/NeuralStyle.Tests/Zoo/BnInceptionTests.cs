using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.BnInception;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static NeuralStyle.Tests.Zoo.InceptionZooSupport;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

/// <summary>One BN-Inception for all the tests of the class (building it costs more than most tests).</summary>
public sealed class BnInceptionFixture : IDisposable
{
    public ZooModel Model { get; } = ModelZoo.Create("bninception", new ZooOptions(Seed: 5));

    public void Dispose() => Model.Dispose();
}

/// <summary>bninception against Cadene's pretrainedmodels port (fixtures made by tests/fixture-scripts/bninception_reference.py).</summary>
public sealed class BnInceptionTests(BnInceptionFixture fixture, ITestOutputHelper output) : IClassFixture<BnInceptionFixture>
{
    private ZooModel Model => fixture.Model;

    [Fact]
    public void Description_has_cadene_figures()
    {
        ModelInfo info = ModelZoo.Describe("bninception");
        Assert.Equal("BN-Inception", info.Family);
        Assert.Equal(new InputShape(3, 224, 224), info.Input);
        Assert.Equal(1000, info.Classes);
        Assert.Equal(11_295_240, info.Parameters);
        Assert.Equal(2.03, info.MultiplyAdds);
        Assert.Contains("73.52 / 91.56", info.Accuracy);
        Assert.Contains("Cadene", info.Reference);
        Assert.Contains(BnInceptionFamily.CadeneCommit, info.Reference);

        // Cadene: BGR, 0..255, mean [104, 117, 128] in BGR order, std 1, resize 224 / 0.875 = 256.
        ImagePreprocessing p = info.Preprocessing;
        Assert.True(p.Bgr);
        Assert.False(p.Grayscale);
        Assert.Equal(1f, p.Scale);
        Assert.Equal([128f, 117f, 104f], p.Mean);
        Assert.Equal([1f, 1f, 1f], p.Std);
        Assert.Equal((256, 224), (p.ResizeShorterSide, p.Crop));
    }

    [Fact]
    public void Parameter_count_is_cadenes()
    {
        (long reference, _) = CadeneKeys();
        Assert.Equal(11_295_240, reference);
        Assert.Equal(reference, ParameterCount(Model));
        output.WriteLine($"bninception: {ParameterCount(Model):N0} parameters, Cadene {reference:N0}");
    }

    [Fact]
    public void State_dict_keys_shapes_and_dtypes_are_cadenes_in_order()
    {
        (_, List<StateKey> expected) = CadeneKeys();
        AssertSameKeys(expected, KeysOf(Model));
        Assert.Equal(485, expected.Count);
        AssertSameKeys(expected, KeysAsChild(ModelZoo.Create("bninception")));
    }

    [Fact]
    public void Classes_option_sizes_last_linear()
    {
        using ZooModel model = ModelZoo.Create("bninception", new ZooOptions(Classes: 7));
        Assert.Equal([7L, 1024], KeysOf(model).Single(k => k.Key == "last_linear.weight").Shape);
        Assert.Equal(11_295_240 - 993 * 1025, ParameterCount(model));
    }

    [Fact]
    public void Output_shapes_at_224_for_batch_1_and_2()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Model.eval();
        Assert.Equal([1L, 1000], Model.call(randn(1, 3, 224, 224)).shape);
        Assert.Equal([2L, 1000], Model.call(randn(2, 3, 224, 224)).shape);
        Assert.Equal([2L, 1024, 7, 7], ((BnInceptionModel)Model).Features(randn(2, 3, 224, 224)).shape);
        Assert.Empty(Model.ForwardAll(randn(1, 3, 224, 224)).Auxiliary);
    }

    [Fact]
    public void Agrees_with_cadene_in_eval_and_training_mode()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "zoo", "bninception", "cadene-outputs.json")));
        long[] inputShape = [.. doc.RootElement.GetProperty("input").EnumerateArray().Select(d => d.GetInt64())];
        Tensor input = HashedTensors.Create("input", inputShape);
        foreach (string mode in new[] { "eval", "train" })
        {
            HashedTensors.Fill(Model);
            Model.train(mode == "train");
            Tensor ours = Model.call(input);
            Tensor reference = Matrix(doc.RootElement.GetProperty(mode));
            double error = RelativeError(ours, reference);
            output.WriteLine($"bninception vs Cadene ({mode}, batch {inputShape[0]}, 224x224): max relative error {error:E2}");
            Assert.True(error <= 1e-4, $"{mode}: relative error {error:E2} > 1e-4");
        }

        Model.eval();
    }

    [Fact]
    public void Backward_gives_finite_gradients_to_every_parameter()
    {
        using var scope = NewDisposeScope();
        Model.train();
        Tensor input = randn(2, 3, 224, 224).requires_grad_();
        Tensor logits = Model.call(input);
        AssertFiniteGradients(Model, logits.square().mean());
        Assert.True(input.grad!.isfinite().all().item<bool>());
        Model.zero_grad();
        Model.eval();
    }

    [Fact]
    public void Training_uses_batch_statistics_and_no_dropout()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Tensor input = randn(2, 3, 224, 224);
        Tensor runningMean = PyTorchStateDict(Model).Single(e => e.Key == "conv1_7x7_s2_bn.running_mean").Value;

        Model.eval();
        Tensor before = runningMean.clone();
        Tensor eval1 = Model.call(input);
        Tensor eval2 = Model.call(input);
        Assert.True(Identical(eval1, eval2));
        Assert.True(Identical(runningMean, before), "eval mode must not update the running statistics");

        Model.train();
        Tensor train1, train2;
        Tensor bn;
        using (OutputRecorder bnOutputs = RecordOutputs(Model, "conv1_7x7_s2_bn"))
        {
            train1 = Model.call(input);
            train2 = Model.call(input);
            bn = bnOutputs.Outputs[0];
        }

        Model.eval();

        // No dropout anywhere: training mode is deterministic for a fixed batch.
        Assert.True(Identical(train1, train2));
        Assert.False(train1.allclose(eval1, rtol: 1e-3, atol: 1e-3), "training must normalise with batch statistics");
        Assert.False(Identical(runningMean, before), "training must update the running statistics");

        // With batch statistics each channel of the batch-norm output has the mean of its bias and the spread of its weight.
        var bnModule = (TorchSharp.Modules.BatchNorm2d)Model.named_modules().Single(m => m.name == "conv1_7x7_s2_bn").module;
        Tensor channelMean = bn.mean([0, 2, 3]);
        Tensor channelStd = bn.std([0, 2, 3], unbiased: false);
        Assert.True(channelMean.allclose(bnModule.bias!, atol: 1e-4), "per-channel mean is not the BN bias");
        Assert.True(channelStd.allclose(bnModule.weight.abs(), rtol: 1e-3, atol: 1e-4), "per-channel std is not |BN weight|");
    }
}
