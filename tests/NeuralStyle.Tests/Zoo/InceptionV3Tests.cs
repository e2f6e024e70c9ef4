using NeuralStyle.Tests.Support;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.InceptionV3;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static NeuralStyle.Tests.Zoo.InceptionZooSupport;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

/// <summary>One Inception v3 with AuxLogits for all the tests of the class.</summary>
public sealed class InceptionV3Fixture : IDisposable
{
    public ZooModel Model { get; } = ModelZoo.Create("inception_v3", new ZooOptions(Seed: 4));

    public void Dispose() => Model.Dispose();
}

/// <summary>inception_v3 against torchvision 0.14's Inception3 (aux_logits=True, transform_input=False).</summary>
public sealed class InceptionV3Tests(InceptionV3Fixture fixture, ITestOutputHelper output) : IClassFixture<InceptionV3Fixture>
{
    private ZooModel Model => fixture.Model;

    [Fact]
    public void Description_has_torchvision_figures()
    {
        ModelInfo info = ModelZoo.Describe("inception_v3");
        Assert.Equal("Inception v3", info.Family);
        Assert.Equal(new InputShape(3, 299, 299), info.Input);
        Assert.Equal(1000, info.Classes);
        Assert.Equal(27_161_264, info.Parameters);
        Assert.Equal(5.71, info.MultiplyAdds);
        Assert.Contains("77.29 / 93.45", info.Accuracy);
        Assert.Contains("torchvision 0.14", info.Reference);
        Assert.Equal((342, 299, 1 / 255f), (info.Preprocessing.ResizeShorterSide, info.Preprocessing.Crop, info.Preprocessing.Scale));
        Assert.Equal([0.229f, 0.224f, 0.225f], info.Preprocessing.Std);
    }

    [Fact]
    public void Parameter_counts_with_and_without_AuxLogits_are_torchvisions()
    {
        (long reference, _) = TorchvisionKeys("inception_v3");
        Assert.Equal(27_161_264, reference);
        Assert.Equal(reference, ParameterCount(Model));
        Assert.Equal(ModelZoo.Describe("inception_v3").Parameters, ParameterCount(Model));
        using ZooModel plain = ModelZoo.Create("inception_v3", new ZooOptions(AuxiliaryHeads: false));
        Assert.Equal(InceptionV3Family.ParametersWithoutAuxiliaryHeads, ParameterCount(plain));
        Assert.Equal(23_834_568, ParameterCount(plain));
        output.WriteLine($"inception_v3: {ParameterCount(Model):N0} parameters (torchvision {reference:N0}), without AuxLogits {ParameterCount(plain):N0} (torchvision 23,834,568)");
    }

    [Fact]
    public void State_dict_keys_shapes_and_dtypes_are_torchvisions_in_order()
    {
        (_, List<StateKey> expected) = TorchvisionKeys("inception_v3");
        AssertSameKeys(expected, KeysOf(Model));
        Assert.Contains(expected, k => k.Key == "Mixed_6b.branch7x7_2.conv.weight" && k.Shape.SequenceEqual([128L, 128, 1, 7]));
        Assert.Contains(expected, k => k.Key == "AuxLogits.fc.weight");

        using ZooModel plain = ModelZoo.Create("inception_v3", new ZooOptions(AuxiliaryHeads: false));
        AssertSameKeys([.. expected.Where(k => !k.Key.StartsWith("AuxLogits.", StringComparison.Ordinal))], KeysOf(plain));
        AssertSameKeys(expected, KeysAsChild(ModelZoo.Create("inception_v3")));
    }

    [Fact]
    public void Initialisation_is_torchvisions()
    {
        using var scope = NewDisposeScope();
        using ZooModel model = ModelZoo.Create("inception_v3", new ZooOptions(Seed: 12));
        var state = PyTorchStateDict(model).ToDictionary(e => e.Key, e => e.Value);

        // 0.1 everywhere (AuxLogits.conv1 included: torchvision's 0.01 is set on the wrapper, not the Conv2d), AuxLogits.fc 0.001.
        foreach ((string key, double std) in new[] { ("Conv2d_1a_3x3.conv.weight", 0.1), ("Mixed_7c.branch3x3dbl_2.conv.weight", 0.1), ("AuxLogits.conv1.conv.weight", 0.1), ("fc.weight", 0.1), ("AuxLogits.fc.weight", 0.001) })
        {
            Assert.InRange(state[key].std().item<float>(), 0.95 * std, 1.05 * std);
            Assert.True(state[key].abs().max().item<float>() <= 2);
        }

        Assert.True(Identical(state["Mixed_5b.branch_pool.bn.weight"], ones(32)));
        Assert.True(Identical(state["Mixed_5b.branch_pool.bn.bias"], zeros(32)));
    }

    [Fact]
    public void Output_shapes_at_299_for_batch_1_and_2_and_no_aux_in_eval()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Model.eval();
        Assert.Equal([1L, 1000], Model.call(randn(1, 3, 299, 299)).shape);
        ZooOutput all = Model.ForwardAll(randn(2, 3, 299, 299));
        Assert.Equal([2L, 1000], all.Main.shape);
        Assert.Empty(all.Auxiliary);
    }

    [Fact]
    public void AuxLogits_runs_in_training_only_and_only_through_ForwardAll()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Tensor input = randn(2, 3, 299, 299);
        using OutputRecorder aux = RecordOutputs(Model, "AuxLogits");
        try
        {
            Model.eval();
            Assert.Empty(Model.ForwardAll(input).Auxiliary);
            Model.train();
            Assert.Equal([2L, 1000], Model.call(input).shape);
            Assert.Empty(aux.Outputs);

            ZooOutput all = Model.ForwardAll(input);
            Assert.Equal([2L, 1000], all.Main.shape);
            (string name, Tensor logits) = Assert.Single(all.Auxiliary);
            Assert.Equal("AuxLogits", name);
            Assert.Equal([2L, 1000], logits.shape);
            Assert.Same(Assert.Single(aux.Outputs), logits);
        }
        finally
        {
            Model.eval();
        }
    }

    [Fact]
    public void Dropout_and_batch_statistics_only_in_training()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // Below the canonical size to save time: dropout and batch norm do not depend on it (AuxLogits does not run).
        Tensor input = randn(2, 3, 139, 139);
        Tensor runningMean = PyTorchStateDict(Model).Single(e => e.Key == "Mixed_6e.branch_pool.bn.running_mean").Value;
        Tensor before = runningMean.clone();
        try
        {
            Model.eval();
            Assert.True(Identical(Model.call(input), Model.call(input)));
            Assert.True(Identical(runningMean, before), "eval mode must not update the running statistics");

            Model.train();
            Assert.False(Identical(Model.call(input), Model.call(input)), "dropout must be active in training");
            Assert.False(Identical(runningMean, before), "training must update the running statistics");

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
            Tensor input = randn(2, 3, 299, 299).requires_grad_();
            ZooOutput all = Model.ForwardAll(input);
            Tensor loss = all.Main.square().mean() + 0.4 * all.Auxiliary[0].Value.square().mean();
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
        using ZooModel transform = ModelZoo.Create("inception_v3", new ZooOptions(TransformInput: true));
        AssertHashedAgreement(Model, transform, "inception_v3", output);
    }

    [Fact]
    public void Agrees_with_torchvision_on_its_own_random_weights_loaded_strictly()
    {
        TorchvisionAgreement.Check("inception_v3", output: output).AssertAgrees(1e-4);
    }
}
