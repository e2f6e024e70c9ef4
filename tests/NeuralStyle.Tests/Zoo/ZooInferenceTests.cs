using NeuralStyle.Zoo;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

/// <summary><see cref="ZooModel.Infer"/>: the zoo's inference path (issue 14, item 4) records no autograd and gives the forward's output.</summary>
public class ZooInferenceTests
{
    [Theory]
    [InlineData("lenet5-modern", 1, 32)]
    [InlineData("resnet18", 3, 64)]
    [InlineData("googlenet", 3, 64)]
    public void InferEqualsTheEvaluationForwardAndRecordsNoGraph(string name, int channels, int size)
    {
        using ZooModel model = ModelZoo.Create(name, new ZooOptions(Seed: 5));
        using var generator = new Generator(9);
        using Tensor input = randn([2, channels, size, size], generator: generator);
        using Tensor expected = model.call(input);
        Assert.True(expected.requires_grad, "the plain forward records a graph through the weights (what Infer avoids)");

        using Tensor actual = model.Infer(input);

        Assert.False(actual.requires_grad);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.eq(expected.detach()).all().item<bool>(), $"{name}: Infer's output differs from the forward's");
        Assert.False(is_inference_mode_enabled(), "inference mode ends with the call");
    }

    [Fact]
    public void InferSwitchesATrainingModelToEvaluation()
    {
        using ZooModel model = ModelZoo.Create("resnet18", new ZooOptions(Seed: 6));
        using var generator = new Generator(10);
        using Tensor input = randn([2, 3, 64, 64], generator: generator);
        using Tensor expected = model.call(input);
        model.train();

        using Tensor actual = model.Infer(input);

        Assert.False(model.training);
        Assert.True(actual.eq(expected.detach()).all().item<bool>(), "with batch statistics the output would depend on the batch");
    }
}
