using NeuralStyle.Backbones;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Losses;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Backbones;

public class BackboneTests
{
    [Fact]
    public void FormatIsDetectedByContentNotByName()
    {
        using var temp = new TempDirectory();
        string matAsOnnx = temp.File("vgg.onnx");
        File.Copy(Fixtures.TinyVgg("tiny-vgg-current.mat"), matAsOnnx);
        Assert.Equal(NetworkFormat.MatConvNet, NetworkFiles.Detect(matAsOnnx));

        string onnxAsMat = temp.File("resnet.mat");
        File.Copy(BundledResNet18.DefaultPath, onnxAsMat);
        Assert.Equal(NetworkFormat.Onnx, NetworkFiles.Detect(onnxAsMat));

        string text = temp.File("notes.bin");
        File.WriteAllText(text, "hello");
        Assert.Contains("not a network file this program reads", Assert.Throws<InvalidDataException>(() => NetworkFiles.Detect(text)).Message);
    }

    [Fact]
    public void BundledResNet18IsRecognisedWithItsAliasesAndDefaults()
    {
        using var network = (OnnxFeatureNetwork)NetworkFiles.Open(BundledResNet18.DefaultPath, PoolingMode.Max, new StyleTransferSettings());
        Assert.Equal(BundledResNet18.Defaults, network.Defaults);
        Assert.True(network.Pixels.Bgr);
        using var noGrad = no_grad();
        using Tensor input = zeros(1, 3, 64, 96);
        var features = network.Extract(input, ["relu", "layer4.2", "ReLU269_Output_0"]);
        Assert.Equal([1L, 64, 32, 48], features["relu"].shape);
        Assert.Equal([1L, 512, 2, 3], features["layer4.2"].shape);
        Assert.Equal([1L, 64, 16, 24], features["ReLU269_Output_0"].shape);
        Assert.Contains("no layer 'layer9'", Assert.Throws<ArgumentException>(() => network.Extract(input, ["layer9"])).Message);
    }

    [Fact]
    public void AnUnknownOnnxModelNeedsExplicitLayers()
    {
        string model = Directory.GetFiles(Path.Combine(Fixtures.Root, "onnx"), "*.onnx").First();
        var e = Assert.Throws<ArgumentException>(() => NetworkFiles.Open(model, PoolingMode.Max, new StyleTransferSettings()));
        Assert.Contains("--content-layers and --style-layers", e.Message);
    }

    [Fact]
    public void SwagIsASoftmaxOverAllEntriesScaledToMeanOne()
    {
        using Tensor features = tensor(new float[] { 0, 1, 2, 3, 4, 5, 6, 7 }, [1, 2, 2, 2]);
        using Tensor smoothed = FeatureSmoothers.Swag(features, temperature: 2);
        float[] values = smoothed.data<float>().ToArray();
        double norm = Enumerable.Range(0, 8).Sum(i => Math.Exp(i / 2.0));
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(8 * Math.Exp(i / 2.0) / norm, values[i], 5);
        }

        Assert.Equal(1.0, values.Average(), 5);
    }

    [Fact]
    public void PixelConventionsRoundTrip()
    {
        var image = new NeuralStyle.Imaging.RgbImage(2, 1, [10, 20, 30, 200, 150, 100]);
        foreach (PixelConvention pixels in new[] { BundledResNet18.Pixels, NetworkFiles.TorchvisionPixels, new PixelConvention(1, 2, 3) })
        {
            using Tensor x = NeuralStyle.Tensors.ImageTensors.Preprocess(image, pixels);
            NeuralStyle.Imaging.RgbImage back = NeuralStyle.Tensors.ImageTensors.Unprocess(x, pixels);
            Assert.Equal(image.Pixels, back.Pixels, new Tolerance(1e-3f));
        }

        // BGR: the first channel of the network input is blue minus the blue mean.
        using Tensor bgr = NeuralStyle.Tensors.ImageTensors.Preprocess(image, BundledResNet18.Pixels);
        Assert.Equal(30 - 103.06262f, bgr[0, 0, 0, 0].item<float>(), 3);
    }

    private sealed class Tolerance(float epsilon) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(float obj) => 0;
    }
}
