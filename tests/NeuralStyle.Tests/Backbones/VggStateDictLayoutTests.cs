using NeuralStyle.Backbones.VggSources;
using NeuralStyle.Weights.MatConvNet;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Backbones;

/// <summary>How a state dict's keys become VGG layers and an input convention, and the one-line errors when they do not.</summary>
public class VggStateDictLayoutTests
{
    // torchvision's indices of VGG-19's convolutions.
    private static readonly int[] Vgg19 = [0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34];

    [Fact]
    public void TorchvisionIndicesBecomeTheSeedsNamesAndBlocks()
    {
        using VggSource source = VggStateDictLayout.Read("x.pth", Torchvision(Vgg19, classifier: [0, 3, 6]), "test");
        Assert.Equal("VGG-19", source.Architecture);
        Assert.Equal(VggInputConvention.Torchvision, source.Convention);
        Assert.Equal(["conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "conv3_3", "conv3_4", "conv4_1", "conv4_2", "conv4_3", "conv4_4", "conv5_1", "conv5_2", "conv5_3", "conv5_4"],
            source.Convolutions.Select(c => c.Name));
    }

    [Fact]
    public void Vgg16IsRecognisedByItsBlocks()
    {
        using VggSource source = VggStateDictLayout.Read("x.pth", Torchvision([0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28]), "test");
        Assert.Equal("VGG-16", source.Architecture);
    }

    [Fact]
    public void CaffeClassifierKeysMeanCaffeWeights()
    {
        using VggSource source = VggStateDictLayout.Read("x.pth", Torchvision(Vgg19, classifier: [1, 4, 6]), "test");
        Assert.Equal(VggInputConvention.Caffe, source.Convention);
    }

    [Fact]
    public void MetadataOverridesTheKeysConvention()
    {
        var metadata = new Dictionary<string, string> { [VggStateDictLayout.ConventionKey] = "matconvnet", [VggStateDictLayout.MeanKey] = "1,2,3" };
        using VggSource source = VggStateDictLayout.Read("x.safetensors", Named(), "test", metadata);
        Assert.Equal(VggInputConvention.MatConvNet, source.Convention);
        Assert.Equal([1f, 2f, 3f], source.MeanRgb);
    }

    [Theory]
    [InlineData("bgr", null, "metadata 'neural-style.input' is 'bgr'")]
    [InlineData("matconvnet", null, "'neural-style.mean' is missing")]
    [InlineData("matconvnet", "1,2", "'neural-style.mean' is '1,2'")]
    public void BadMetadataIsNamed(string convention, string? mean, string expected)
    {
        var metadata = new Dictionary<string, string> { [VggStateDictLayout.ConventionKey] = convention };
        if (mean is not null)
        {
            metadata[VggStateDictLayout.MeanKey] = mean;
        }

        Assert.Contains(expected, Refused(Named(), metadata));
    }

    [Fact]
    public void BatchNormalisedVggIsSentToTheZoo()
    {
        Dictionary<string, Tensor> dict = Torchvision([0, 3]);
        dict["features.1.running_mean"] = zeros(4);
        dict["features.1.running_var"] = ones(4);
        Assert.Contains("batch-normalised VGG (key 'features.1.running_mean')", Refused(dict));
    }

    [Fact]
    public void UnexpectedGapIsNamed() => Assert.Contains("features.6 follows features.2", Refused(Torchvision([0, 2, 6])));

    [Fact]
    public void MisnumberedCaffeNamesAreNamed()
    {
        Dictionary<string, Tensor> dict = Named();
        dict.Remove("conv1_1.weight", out Tensor? w);
        dict.Remove("conv1_1.bias", out Tensor? b);
        w!.Dispose();
        b!.Dispose();
        Assert.Contains("conv1_2 follows nothing", Refused(dict));
    }

    [Fact]
    public void OtherNetworksAreRefusedWithTheirKeys()
    {
        var dict = new Dictionary<string, Tensor> { ["layer1.0.conv1.weight"] = zeros(4, 3, 3, 3), ["fc.weight"] = zeros(10, 4) };
        string message = Refused(dict);
        Assert.Contains("not a VGG", message);
        Assert.Contains("'layer1.0.conv1.weight'", message);
    }

    [Fact]
    public void ChannelsThatDoNotChainAreNamed()
    {
        Dictionary<string, Tensor> dict = Torchvision([0, 2]);
        dict["features.2.weight"].Dispose();
        dict["features.2.weight"] = zeros(4, 5, 3, 3);
        Assert.Contains("'features.2' (conv1_2) expects 5 input channels but receives 4", Refused(dict));
    }

    [Fact]
    public void MissingBiasIsNamed()
    {
        Dictionary<string, Tensor> dict = Torchvision([0]);
        dict.Remove("features.0.bias", out Tensor? bias);
        bias!.Dispose();
        Assert.Contains("'features.0.bias' is missing", Refused(dict));
    }

    [Fact]
    public void DamagedWeightsAreNamedWithTheirLayer()
    {
        Dictionary<string, Tensor> dict = Torchvision([0, 2]);
        dict["features.2.weight"][0, 0, 0, 0] = float.NaN;
        Assert.Contains("'features.2' (conv1_2), weights: 1 of", Refused(dict));
    }

    [Fact]
    public void HalfPrecisionWeightsAreWidened()
    {
        Dictionary<string, Tensor> dict = Torchvision([0, 2]);
        foreach (string key in dict.Keys.ToList())
        {
            dict[key] = dict[key].to_type(ScalarType.Float16);
        }

        using VggSource source = VggStateDictLayout.Read("x.pth", dict, "test");
        Assert.All(source.Convolutions, c => Assert.Equal(ScalarType.Float32, c.Weight.dtype));
    }

    private static string Refused(Dictionary<string, Tensor> dict, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var error = Assert.Throws<NetworkFormatException>(() => VggStateDictLayout.Read("weights/x.pth", dict, "test", metadata));
        Assert.StartsWith("weights/x.pth: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    private static Dictionary<string, Tensor> Torchvision(int[] indices, int[]? classifier = null)
    {
        var dict = new Dictionary<string, Tensor>();
        long channels = 3;
        foreach (int i in indices)
        {
            dict[$"features.{i}.weight"] = randn(4, channels, 3, 3);
            dict[$"features.{i}.bias"] = randn(4);
            channels = 4;
        }

        foreach (int c in classifier ?? [])
        {
            dict[$"classifier.{c}.weight"] = randn(2, 2);
            dict[$"classifier.{c}.bias"] = randn(2);
        }

        return dict;
    }

    private static Dictionary<string, Tensor> Named()
    {
        var dict = new Dictionary<string, Tensor>();
        long channels = 3;
        foreach (string name in new[] { "conv1_1", "conv1_2", "conv2_1" })
        {
            dict[$"{name}.weight"] = randn(4, channels, 3, 3);
            dict[$"{name}.bias"] = randn(4);
            channels = 4;
        }

        return dict;
    }
}
