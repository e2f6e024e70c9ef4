using NeuralStyle.Backbones;
using NeuralStyle.Backbones.VggSources;
using NeuralStyle.Imaging;
using NeuralStyle.Tensors;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.Npy;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Backbones;

/// <summary>
/// The tiny VGG in every weights format (Fixtures/vggsources/, tests/fixture-scripts/make_vgg_sources.py): each file is
/// recognised by content, read with its own input convention, and gives PyTorch's features of the content image
/// (features-caffe-*.npy for Caffe's BGR weights, features-tv-*.npy for torchvision's), computed by PyTorch on each
/// file's own preprocessing.
/// </summary>
public class VggSourceFileTests
{
    private static readonly string[] Layers = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu4_2", "relu5_1"];

    public static TheoryData<string, NetworkFormat, VggInputConvention, string> Files => new()
    {
        { "tiny-vgg.caffemodel", NetworkFormat.Caffe, VggInputConvention.Caffe, "caffe" },
        { "tiny-vgg-v2.caffemodel", NetworkFormat.Caffe, VggInputConvention.Caffe, "caffe" },
        { "tiny-vgg-caffe-legacy.pth", NetworkFormat.TorchLegacy, VggInputConvention.Caffe, "caffe" },
        { "tiny-vgg-gatys.pth", NetworkFormat.TorchLegacy, VggInputConvention.Caffe, "caffe" },
        { "tiny-vgg-tv.pth", NetworkFormat.TorchZip, VggInputConvention.Torchvision, "tv" },
        { "tiny-vgg-tv-legacy.pth", NetworkFormat.TorchLegacy, VggInputConvention.Torchvision, "tv" },
        { "tiny-vgg-tv.safetensors", NetworkFormat.SafeTensors, VggInputConvention.Torchvision, "tv" },
        { "tiny-vgg-tv.onnx", NetworkFormat.Onnx, VggInputConvention.Torchvision, "tv" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void EachFileGivesPyTorchsFeatures(string file, NetworkFormat format, VggInputConvention convention, string group)
    {
        // Renamed, so that only the content can tell the format.
        using var temp = new TempDirectory();
        string renamed = temp.File("weights.bin");
        File.Copy(Fixtures.VggSource(file), renamed);
        Assert.Equal(format, NetworkFiles.Detect(renamed));

        using (VggSource source = VggWeightFile.Read(renamed, format))
        {
            Assert.Equal(convention, source.Convention);
            Assert.Equal("VGG-19", source.Architecture);
        }

        using var network = (VggFeatureNetwork)NetworkFiles.Open(renamed, PoolingMode.Max, new StyleTransferSettings());
        AssertFeatures(network, group, file);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ConvertedToSafeTensorsTheFileKeepsItsNetworkAndConvention(string file, NetworkFormat format, VggInputConvention convention, string group)
    {
        using var temp = new TempDirectory();
        string output = temp.File("converted.safetensors");
        WeightsConversionResult result = WeightsConversion.ToSafeTensors(Fixtures.VggSource(file), output);
        Assert.Equal(format, result.InputFormat);
        Assert.Equal($"VGG-19 ({VggInputConventions.Key(convention)} input convention)", result.Network);
        Assert.Equal(new FileInfo(output).Length, result.Bytes);

        Assert.Equal(NetworkFormat.SafeTensors, NetworkFiles.Detect(output));
        using (VggSource source = VggWeightFile.Read(output, NetworkFormat.SafeTensors))
        {
            Assert.Equal(convention, source.Convention);
        }

        using var network = (VggFeatureNetwork)NetworkFiles.Open(output, PoolingMode.Max, new StyleTransferSettings());
        AssertFeatures(network, group, file + " converted");
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void OnnxGraphsThatAreNotAChainOfConvolutionsAreNotTakenForVggs()
    {
        Assert.Null(VggOnnxLayout.TryRead(NeuralStyle.Weights.Onnx.OnnxModel.Load(BundledResNet18.DefaultPath)));
        foreach (string file in Directory.GetFiles(Path.Combine(Fixtures.Root, "onnx"), "*.onnx"))
        {
            if (VggOnnxLayout.TryRead(NeuralStyle.Weights.Onnx.OnnxModel.Load(file)) is VggSource source)
            {
                using (source)
                {
                    Assert.Fail($"{Path.GetFileName(file)} was read as a {source.Architecture}");
                }
            }
        }
    }

    [Fact]
    public void ConvertedMatConvNetFileKeepsItsOwnMeanPixel()
    {
        using var temp = new TempDirectory();
        string output = temp.File("mat.safetensors");
        WeightsConversion.ToSafeTensors(Fixtures.TinyVgg("tiny-vgg-current.mat"), output);
        using var original = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, (IReadOnlyCollection<string>?)null);
        using var converted = (VggFeatureNetwork)NetworkFiles.Open(output, PoolingMode.Max, new StyleTransferSettings());
        Assert.Equal(original.Pixels.Mean, converted.Pixels.Mean);

        RgbImage content = ImageReader.Read(Fixtures.TinyVgg("content.png"));
        using Tensor input = ImageTensors.Preprocess(content, original.Pixels);
        IReadOnlyDictionary<string, Tensor> a = original.Extract(input, Layers);
        IReadOnlyDictionary<string, Tensor> b = converted.Extract(input, Layers);
        foreach (string layer in Layers)
        {
            Assert.True(a[layer].allclose(b[layer], rtol: 0, atol: 0), $"{layer} differs after conversion");
        }
    }

    [Fact]
    public void ConversionRefusesToOverwriteUnlessAsked()
    {
        using var temp = new TempDirectory();
        string output = temp.File("out.safetensors");
        File.WriteAllText(output, "keep me");
        var error = Assert.ThrowsAny<IOException>(() => WeightsConversion.ToSafeTensors(Fixtures.VggSource("tiny-vgg-tv.pth"), output));
        Assert.Contains("exists", error.Message);
        Assert.Equal("keep me", File.ReadAllText(output));

        WeightsConversion.ToSafeTensors(Fixtures.VggSource("tiny-vgg-tv.pth"), output, overwrite: true);
        Assert.Equal(NetworkFormat.SafeTensors, NetworkFiles.Detect(output));
    }

    private static void AssertFeatures(VggFeatureNetwork network, string group, string what)
    {
        Assert.True(network.Pixels.IsMeanOnly, "every VGG runs in the seed's pixel units");
        RgbImage content = ImageReader.Read(Fixtures.TinyVgg("content.png"));
        using var noGrad = no_grad();
        using Tensor input = ImageTensors.Preprocess(content, network.Pixels);
        IReadOnlyDictionary<string, Tensor> features = network.Extract(input, Layers);
        foreach (string layer in Layers)
        {
            using Tensor expected = NpyFile.ReadTensor(Fixtures.VggSource($"features-{group}-{layer}.npy"));
            Tensor actual = features[layer];
            Assert.Equal(expected.shape, actual.shape);
            double error = (actual - expected).abs().max().item<float>();
            double scale = expected.abs().max().item<float>();
            Assert.True(error <= 2e-5 * scale, $"{what}, {layer}: max difference {error:G3} against a scale of {scale:G3}");
        }
    }
}
