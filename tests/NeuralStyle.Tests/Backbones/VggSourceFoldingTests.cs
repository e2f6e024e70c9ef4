using NeuralStyle.Backbones;
using NeuralStyle.Backbones.VggSources;
using NeuralStyle.Transfer;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Backbones;

/// <summary>
/// Every input convention folded into conv1_1 gives, on RGB 0..255 minus the folded mean pixel, exactly the network the
/// file describes on its own preprocessing: computed here in float64 from the unfolded weights, zero padding and odd
/// sizes included.
/// </summary>
public class VggSourceFoldingTests
{
    [Theory]
    [InlineData(VggInputConvention.Torchvision)]
    [InlineData(VggInputConvention.Caffe)]
    [InlineData(VggInputConvention.MatConvNet)]
    public void FoldedNetworkEqualsTheFilesPreprocessingAndWeights(VggInputConvention convention)
    {
        float[] matMean = [120.5f, 110.25f, 99.75f];
        using var generator = new Generator(7);
        // Blocks of 2 and 2 convolutions; 5 and 9 channels (neither a multiple of 8); a 13 x 11 image (odd: ceil pooling).
        (int Block, int Index, long Out)[] plan = [(1, 1, 5), (1, 2, 5), (2, 1, 9), (2, 2, 9)];
        var convolutions = new List<VggConvolution>();
        long channels = 3;
        foreach ((int block, int index, long output) in plan)
        {
            convolutions.Add(new VggConvolution(block, index, randn([output, channels, 3, 3], generator: generator) * 0.2, randn([output], generator: generator)));
            channels = output;
        }

        using Tensor image = rand([1, 3, 11, 13], generator: generator) * 255;
        Tensor[] rawWeights = [.. convolutions.Select(c => c.Weight.to_type(ScalarType.Float64))];
        Tensor[] rawBiases = [.. convolutions.Select(c => c.Bias.to_type(ScalarType.Float64))];
        using var source = new VggSource(convolutions, convention, "test", convention == VggInputConvention.MatConvNet ? matMean : null);
        using Tensor expected = Reference(FilePreprocessing(image.to_type(ScalarType.Float64), convention, matMean), rawWeights, rawBiases);

        using VggFeatureNetwork network = new(source.FoldedLayers(), source.FoldedPixels, PoolingMode.Max, source.Describe());
        Assert.True(network.Pixels.IsMeanOnly);
        using Tensor mean = tensor(network.Pixels.Mean).reshape(1, 3, 1, 1);
        using Tensor input = image - mean;
        Tensor actual = network.Extract(input, ["relu2_2"])["relu2_2"];

        double error = (actual.to_type(ScalarType.Float64) - expected).abs().max().item<double>();
        double scale = expected.abs().max().item<double>();
        Assert.True(error <= 1e-5 * scale, $"{convention}: max error {error:G3} against a scale of {scale:G3}");
        Assert.Equal(["conv1_1", "relu1_1", "conv1_2", "relu1_2", "pool1", "conv2_1", "relu2_1", "conv2_2", "relu2_2", "pool2"], network.LayerNames);
    }

    [Fact]
    public void FoldedMeanPixelIsTheConventionsZero()
    {
        using VggSource torchvision = OneConvolution(VggInputConvention.Torchvision);
        Assert.Equal([0.485f * 255, 0.456f * 255, 0.406f * 255], torchvision.FoldedPixels.Mean);
        using VggSource caffe = OneConvolution(VggInputConvention.Caffe);
        Assert.Equal([123.68f, 116.779f, 103.939f], caffe.FoldedPixels.Mean);
    }

    private static VggSource OneConvolution(VggInputConvention convention) =>
        new([new VggConvolution(1, 1, ones(2, 3, 3, 3), zeros(2))], convention, "test");

    // What the file's own tool feeds its network: torchvision (RGB/255 - mean)/std, Caffe BGR - BGR mean, MatConvNet RGB - mean.
    private static Tensor FilePreprocessing(Tensor rgb, VggInputConvention convention, float[] matMean)
    {
        switch (convention)
        {
            case VggInputConvention.Torchvision:
                using (Tensor mean = tensor(new[] { 0.485, 0.456, 0.406 }).reshape(1, 3, 1, 1))
                using (Tensor std = tensor(new[] { 0.229, 0.224, 0.225 }).reshape(1, 3, 1, 1))
                {
                    return ((rgb / 255) - mean) / std;
                }

            case VggInputConvention.Caffe:
                using (Tensor bgrMean = tensor(new[] { 103.939, 116.779, 123.68 }).reshape(1, 3, 1, 1))
                {
                    return rgb.flip(1) - bgrMean;
                }

            default:
                using (Tensor mean = tensor(matMean.Select(m => (double)m).ToArray()).reshape(1, 3, 1, 1))
                {
                    return rgb - mean;
                }
        }
    }

    private static Tensor Reference(Tensor x, Tensor[] weights, Tensor[] biases)
    {
        using var scope = NewDisposeScope();
        x = nn.functional.relu(nn.functional.conv2d(x, weights[0], biases[0], padding: [1, 1]));
        x = nn.functional.relu(nn.functional.conv2d(x, weights[1], biases[1], padding: [1, 1]));
        x = nn.functional.max_pool2d(x, [2, 2], [2, 2], ceil_mode: true);
        x = nn.functional.relu(nn.functional.conv2d(x, weights[2], biases[2], padding: [1, 1]));
        x = nn.functional.relu(nn.functional.conv2d(x, weights[3], biases[3], padding: [1, 1]));
        return x.MoveToOuterDisposeScope();
    }
}
