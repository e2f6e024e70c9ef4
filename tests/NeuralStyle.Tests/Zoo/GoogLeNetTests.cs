using NeuralStyle.Tests.Support;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.GoogLeNet;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static NeuralStyle.Tests.Zoo.InceptionZooSupport;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

/// <summary>One GoogLeNet with aux heads for all the tests of the class.</summary>
public sealed class GoogLeNetFixture : IDisposable
{
    public ZooModel Model { get; } = ModelZoo.Create("googlenet", new ZooOptions(Seed: 3));

    public void Dispose() => Model.Dispose();
}

/// <summary>googlenet against torchvision 0.14's GoogLeNet (aux_logits=True, transform_input=False).</summary>
public sealed class GoogLeNetTests(GoogLeNetFixture fixture, ITestOutputHelper output) : IClassFixture<GoogLeNetFixture>
{
    private static readonly string[] AuxModules = ["aux1", "aux2"];

    private ZooModel Model => fixture.Model;

    [Fact]
    public void Description_has_torchvision_figures()
    {
        ModelInfo info = ModelZoo.Describe("googlenet");
        Assert.Equal("GoogLeNet", info.Family);
        Assert.Equal(2014, info.Year);
        Assert.Equal(new InputShape(3, 224, 224), info.Input);
        Assert.Equal(1000, info.Classes);
        Assert.Equal(13_004_888, info.Parameters);
        Assert.Equal(1.50, info.MultiplyAdds);
        Assert.Contains("69.78 / 89.53", info.Accuracy);
        Assert.Contains("torchvision 0.14", info.Reference);
        Assert.Equal((256, 224, 1 / 255f), (info.Preprocessing.ResizeShorterSide, info.Preprocessing.Crop, info.Preprocessing.Scale));
        Assert.Equal([0.485f, 0.456f, 0.406f], info.Preprocessing.Mean);
    }

    [Fact]
    public void Parameter_counts_with_and_without_aux_heads_are_torchvisions()
    {
        (long reference, _) = TorchvisionKeys("googlenet");
        Assert.Equal(13_004_888, reference);
        Assert.Equal(reference, ParameterCount(Model));
        Assert.Equal(ModelZoo.Describe("googlenet").Parameters, ParameterCount(Model));
        using ZooModel plain = ModelZoo.Create("googlenet", new ZooOptions(AuxiliaryHeads: false));
        Assert.Equal(GoogLeNetFamily.ParametersWithoutAuxiliaryHeads, ParameterCount(plain));
        Assert.Equal(6_624_904, ParameterCount(plain));
        output.WriteLine($"googlenet: {ParameterCount(Model):N0} parameters (torchvision {reference:N0}), without aux heads {ParameterCount(plain):N0} (torchvision 6,624,904)");
    }

    [Fact]
    public void State_dict_keys_shapes_and_dtypes_are_torchvisions_in_order()
    {
        (_, List<StateKey> expected) = TorchvisionKeys("googlenet");
        AssertSameKeys(expected, KeysOf(Model));
        Assert.Contains(expected, k => k.Key == "inception3a.branch2.0.conv.weight");
        Assert.Contains(expected, k => k.Key == "aux1.fc1.weight");

        // Without the heads: torchvision's keys minus aux1.* and aux2.*, in the same order.
        using ZooModel plain = ModelZoo.Create("googlenet", new ZooOptions(AuxiliaryHeads: false));
        AssertSameKeys([.. expected.Where(k => !k.Key.StartsWith("aux", StringComparison.Ordinal))], KeysOf(plain));

        // Inside another module too (TorchSharp registers a child's fields by reflection unless told otherwise).
        AssertSameKeys(expected, KeysAsChild(ModelZoo.Create("googlenet")));
    }

    [Fact]
    public void The_5x5_branch_is_really_3x3_as_in_torchvision()
    {
        Assert.Equal([32L, 16, 3, 3], KeysOf(Model).Single(k => k.Key == "inception3a.branch3.1.conv.weight").Shape);
    }

    [Fact]
    public void Initialisation_is_torchvisions()
    {
        using var scope = NewDisposeScope();
        using ZooModel model = ModelZoo.Create("googlenet", new ZooOptions(Seed: 11));
        var state = PyTorchStateDict(model).ToDictionary(e => e.Key, e => e.Value);
        foreach (string key in new[] { "conv1.conv.weight", "inception4e.branch2.1.conv.weight", "aux1.fc1.weight", "fc.weight" })
        {
            double std = state[key].std().item<float>();
            Assert.InRange(std, 0.0095, 0.0105);
            Assert.True(state[key].abs().max().item<float>() <= 2);
        }

        Assert.True(Identical(state["inception5b.branch1.bn.weight"], ones(384)));
        Assert.True(Identical(state["inception5b.branch1.bn.bias"], zeros(384)));
    }

    [Fact]
    public void Output_shapes_at_224_for_batch_1_and_2_and_no_aux_in_eval()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Model.eval();
        Assert.Equal([1L, 1000], Model.call(randn(1, 3, 224, 224)).shape);
        ZooOutput all = Model.ForwardAll(randn(2, 3, 224, 224));
        Assert.Equal([2L, 1000], all.Main.shape);
        Assert.Empty(all.Auxiliary);

        using ZooModel ten = ModelZoo.Create("googlenet", new ZooOptions(Classes: 10));
        Assert.Equal([1L, 10], ten.call(randn(1, 3, 224, 224)).shape);
    }

    [Fact]
    public void Aux_heads_run_in_training_only_and_only_through_ForwardAll()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Tensor input = randn(2, 3, 224, 224);
        using OutputRecorder aux1 = RecordOutputs(Model, "aux1");
        using OutputRecorder aux2 = RecordOutputs(Model, "aux2");
        try
        {
            Model.eval();
            Assert.Empty(Model.ForwardAll(input).Auxiliary);
            Assert.Empty(aux1.Outputs);

            Model.train();
            Assert.Equal([2L, 1000], Model.call(input).shape);
            Assert.Empty(aux1.Outputs);

            ZooOutput all = Model.ForwardAll(input);
            Assert.Equal([2L, 1000], all.Main.shape);
            Assert.Equal(["aux2", "aux1"], all.Auxiliary.Select(a => a.Key));
            Assert.All(all.Auxiliary, a => Assert.Equal([2L, 1000], a.Value.shape));

            // Each name is the head that computed it (torchvision's own namedtuple swaps them; see GoogLeNetModel).
            Assert.Same(Assert.Single(aux2.Outputs), all.Auxiliary[0].Value);
            Assert.Same(Assert.Single(aux1.Outputs), all.Auxiliary[1].Value);
        }
        finally
        {
            Model.eval();
        }

        using ZooModel plain = ModelZoo.Create("googlenet", new ZooOptions(AuxiliaryHeads: false));
        plain.train();
        Assert.Empty(plain.ForwardAll(input).Auxiliary);
    }

    [Fact]
    public void Dropout_and_batch_statistics_only_in_training()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // Below the canonical size to save time: dropout and batch norm do not depend on it.
        Tensor input = randn(2, 3, 112, 112);
        Tensor runningVar = PyTorchStateDict(Model).Single(e => e.Key == "inception4a.branch1.bn.running_var").Value;
        Tensor before = runningVar.clone();
        try
        {
            Model.eval();
            Assert.True(Identical(Model.call(input), Model.call(input)));
            Assert.True(Identical(runningVar, before), "eval mode must not update the running statistics");

            Model.train();
            Assert.False(Identical(Model.call(input), Model.call(input)), "dropout must be active in training");
            Assert.False(Identical(runningVar, before), "training must update the running statistics");

            // With the dropouts off, training is deterministic: the difference above was dropout.
            TrainWithoutDropout(Model);
            Assert.True(Identical(Model.call(input), Model.call(input)));
        }
        finally
        {
            Model.eval();
        }
    }

    [Fact]
    public void Backward_gives_finite_gradients_to_every_parameter()
    {
        using var scope = NewDisposeScope();
        try
        {
            Model.train();
            Tensor input = randn(2, 3, 224, 224).requires_grad_();
            ZooOutput all = Model.ForwardAll(input);
            Tensor loss = all.Main.square().mean() + 0.3 * (all.Auxiliary[0].Value.square().mean() + all.Auxiliary[1].Value.square().mean());
            AssertFiniteGradients(Model, loss);
            Assert.True(input.grad!.isfinite().all().item<bool>());
        }
        finally
        {
            Model.zero_grad();
            Model.eval();
        }
    }

    [Fact]
    public void Agrees_with_torchvision_on_hashed_weights_in_eval_training_and_with_transform_input()
    {
        using ZooModel transform = ModelZoo.Create("googlenet", new ZooOptions(TransformInput: true));
        AssertHashedAgreement(Model, transform, "googlenet", output);
    }

    [Fact]
    public void Agrees_with_torchvision_on_its_own_random_weights_loaded_strictly()
    {
        TorchvisionAgreement.Check("googlenet", output: output).AssertAgrees(1e-4);
    }
}
