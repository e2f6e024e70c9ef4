using NeuralStyle.Tests.Support;
using NeuralStyle.Zoo;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Zoo;

/// <summary>torchvision's VGG-11 .. VGG-19, plain and with batch norm: one test per model, which builds it once (550 MB of weights).</summary>
public class VggTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names => new(["vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn"]);

    [Theory]
    [MemberData(nameof(Names))]
    public void MeetsTheCriteria(string name)
    {
        ModelInfo info = ModelZoo.Describe(name);
        Assert.Equal(new InputShape(3, 224, 224), info.Input);
        Assert.Equal("VGG", info.Family);
        manual_seed(5);
        using ZooModel model = ModelZoo.Create(name);
        ClassicZooChecks.AssertMatchesReference(model, info, ClassicZooChecks.Torchvision(name));

        // The adaptive 7x7 pool lets the training-mode checks run at 32x32 (1 x 1 after pool5; 2x2 maps in stage 5).
        var small = new InputShape(3, 32, 32);
        if (name.EndsWith("_bn", StringComparison.Ordinal))
        {
            ClassicZooChecks.AssertBatchNormModes(model, "features.1", small);
        }

        ClassicZooChecks.AssertDropoutOnlyInTraining(model, small);
        ClassicZooChecks.AssertBackward(model, small);
        // Batch 1 here; batch 2 at 224x224 is the agreement run below, which also requires the reference's shape [2, 1000].
        ClassicZooChecks.AssertOutputShapes(model, info.Input, 1000, 1);

        // Last: torchvision's random weights replace ours (strict load), batch 2 at 224x224 in evaluation mode (every
        // convolution of a batch above 1 goes to oneDNN).
        using var directory = new TempDirectory();
        ReferenceRun run = TorchvisionReference.Run(name, directory.Path, batch: 2);
        AgreementResult agreement = TorchvisionAgreement.Compare(name, model, run);
        output.WriteLine(agreement.ToString());
        Assert.Equal([2L, 1000], agreement.Shape);
        agreement.AssertAgrees(1e-4);
    }

    [Fact]
    public void InitialisationIsTorchvisions()
    {
        manual_seed(11);
        using ZooModel model = ModelZoo.Create("vgg11_bn");
        Dictionary<string, Tensor> state = model.state_dict();

        // He normal with fan-out: std sqrt(2 / (64 * 9)) for the first convolution; N(0, 0.01) linear layers; zero biases.
        Assert.Equal(Math.Sqrt(2.0 / (64 * 9)), state["features.0.weight"].std().item<float>(), 0.05 * Math.Sqrt(2.0 / (64 * 9)));
        Assert.Equal(0.01, state["classifier.0.weight"].std().item<float>(), 1e-4);
        Assert.Equal(0, state["features.0.bias"].abs().max().item<float>());
        Assert.Equal(0, state["classifier.6.bias"].abs().max().item<float>());
        Assert.Equal(1, state["features.1.weight"].min().item<float>());
        Assert.Equal(0, state["features.1.bias"].abs().max().item<float>());
    }

    [Fact]
    public void ClassesOptionSizesTheLastLayer()
    {
        using ZooModel model = ModelZoo.Create("vgg11", new ZooOptions(Classes: 7));
        Assert.Equal([7L, 4096], model.state_dict()["classifier.6.weight"].shape);
        using var noGrad = no_grad();
        using Tensor y = model.call(randn(1, 3, 32, 32));
        Assert.Equal([1L, 7], y.shape);
    }
}
