using NeuralStyle.Backbones;
using System.Text;
using NeuralStyle.Tests.Mat;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.MatConvNet;
using NeuralStyle.Zoo.Vgg;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

/// <summary>weight[o, i, y, x] = kernel[y, x, i, o], shown with a kernel that is not symmetric.</summary>
public class KernelOrientationTests
{
    [Fact]
    public void AnOffCentreTapShiftsTheImageTheWayMatConvNetMeans()
    {
        using var temp = new TempDirectory();
        string path = temp.File("one-conv.mat");
        File.WriteAllBytes(path, OneConvolutionNetwork());

        using VggFeatureNetwork network = MatConvNetVgg.Load(path, PoolingMode.Max, "conv1_1");
        Assert.Equal(new PixelConvention(10, 20, 30).Mean, network.Pixels.Mean);

        // A single bright red pixel at (y, x) = (5, 5) in a 9x9 image.
        var input = zeros(1, 3, 9, 9);
        input[0, 0, 5, 5] = tensor(1f);
        input.requires_grad_(true);
        Tensor output = network.Extract(input, ["conv1_1"])["conv1_1"];

        // The kernel's only tap is at row 0, column 2 (MATLAB's first axis is y): a correlation reads the pixel
        // up-right of each output, so the bright pixel shows at (6, 4). The seed's transpose would put it at (4, 6).
        Tensor peak = output[0, 0].argmax();
        long flat = peak.item<long>();
        Assert.Equal((6L, 4L), (flat / 9, flat % 9));
        Assert.Equal(1f, output[0, 0, 6, 4].item<float>(), 6);

        // Frozen weights: the gradient reaches the image only.
        output.sum().backward();
        Assert.NotNull(input.grad);
        VggLayer conv = network.Layers[0];
        Assert.False(conv.Weight!.requires_grad);
        Assert.Null(conv.Weight.grad);
    }

    private static byte[] OneConvolutionNetwork()
    {
        var w = new MatTestWriter();
        var kernel = new float[3 * 3 * 3 * 1];
        // Column-major H x W x Cin x Cout: index = y + 3 * (x + 3 * (i + 3 * o)).
        kernel[0 + (3 * (2 + (3 * 0)))] = 1;
        byte[] conv = w.Struct("", ["name", "type", "weights"],
            Chars(w, "conv1_1"), Chars(w, "conv"),
            w.Cell("", [1, 2], w.Single("", [3, 3, 3, 1], kernel), w.Single("", [1, 1], [0f])));
        byte[] relu = w.Struct("", ["name", "type"], Chars(w, "relu1_1"), Chars(w, "relu"));
        byte[] layers = w.Cell("layers", [1, 2], conv, relu);
        byte[] normalization = w.Struct("normalization", ["averageImage"], w.Double("", [1, 1, 3], [10, 20, 30]));
        return w.File(layers, normalization);
    }

    private static byte[] Chars(MatTestWriter w, string text) =>
        w.Matrix(4, [1, text.Length], "", w.Element(4, Encoding.Unicode.GetBytes(text)));
}
