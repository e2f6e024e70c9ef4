using System.Text.Json;
using NeuralStyle.Backbones;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Backbones;

/// <summary>The smallest input a backbone takes, against PyTorch's own modules (tests/fixture-scripts/minimum_input_sides.py).</summary>
public class InputSizeProbeTests
{
    public static TheoryData<string> Models => ["squeezenet1_1", "alexnet", "googlenet", "inception_v3", "resnet18"];

    [Theory]
    [MemberData(nameof(Models))]
    public void The_smallest_side_is_torchvisions(string model)
    {
        using JsonDocument reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "zoo", "minimum-sides.json")));
        JsonElement expected = reference.RootElement.GetProperty(model);
        using ZooFeatureNetwork network = ZooFeatureNetwork.Load(model, stateDict: null);
        IReadOnlyList<string> layers = new StyleTransferSettings().LayersInUse(network.Defaults);

        // The reference was made for the layers the zoo uses by default; a change of defaults must renew it.
        Assert.Equal(expected.GetProperty("layers").EnumerateArray().Select(l => l.GetString()).Order(), layers.Select(network.CanonicalName).Order());
        Assert.Equal(expected.GetProperty("minimumSide").GetInt32(), InputSizeProbe.MinimumSide(network, layers));
    }

    [Fact]
    public void A_residual_zoo_backbone_returns_live_features_inside_a_callers_scope()
    {
        // ResNet's blocks open dispose scopes of their own; features captured there used to be disposed on return
        // ("Tensor invalid -- empty handle"), so no style transfer with a zoo ResNet could start.
        using ZooFeatureNetwork network = ZooFeatureNetwork.Load("resnet18", stateDict: null);
        using var scope = NewDisposeScope();
        IReadOnlyDictionary<string, Tensor> features = network.Extract(zeros(1, 3, 32, 32), ["layer1.1", "layer2.1"]);
        Assert.Equal([1, 64, 8, 8], features["layer1.1"].shape);
        Assert.Equal([1, 128, 4, 4], features["layer2.1"].shape);
    }
}
