using NeuralStyle.Tests.Support;
using NeuralStyle.Zoo;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

/// <summary>torchvision's SqueezeNet 1.0 and 1.1.</summary>
public class SqueezeNetTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names => new(["squeezenet1_0", "squeezenet1_1"]);

    [Theory]
    [MemberData(nameof(Names))]
    public void MeetsTheCriteria(string name)
    {
        ModelInfo info = ModelZoo.Describe(name);
        Assert.Equal(new InputShape(3, 224, 224), info.Input);
        manual_seed(3);
        using ZooModel model = ModelZoo.Create(name);
        ClassicZooChecks.AssertMatchesReference(model, info, ClassicZooChecks.Torchvision(name));
        ClassicZooChecks.AssertOutputShapes(model, info.Input, 1000);
        ClassicZooChecks.AssertDropoutOnlyInTraining(model, info.Input);
        ClassicZooChecks.AssertBackward(model, info.Input);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AgreesWithTorchvision(string name) => TorchvisionAgreement.Check(name, batch: 2, output: output).AssertAgrees(1e-4);

    [Fact]
    public void FireConcatenatesTheExpansionsAfterTheirReLUs()
    {
        using var fire = new NeuralStyle.Zoo.SqueezeNet.Fire(8, 4, 5, 6);
        Dictionary<string, Tensor> s = fire.state_dict();
        using var noGrad = no_grad();
        using Tensor x = randn(2, 8, 7, 9);
        using Tensor y = fire.call(x);
        Assert.Equal([2L, 11, 7, 9], y.shape);

        using Tensor squeezed = nn.functional.relu(nn.functional.conv2d(x, s["squeeze.weight"], s["squeeze.bias"]));
        using Tensor e1 = nn.functional.relu(nn.functional.conv2d(squeezed, s["expand1x1.weight"], s["expand1x1.bias"]));
        using Tensor e3 = nn.functional.relu(nn.functional.conv2d(squeezed, s["expand3x3.weight"], s["expand3x3.bias"], padding: [1, 1]));
        Assert.True(y.allclose(cat([e1, e3], 1), rtol: 1e-5, atol: 1e-6));
    }
}
