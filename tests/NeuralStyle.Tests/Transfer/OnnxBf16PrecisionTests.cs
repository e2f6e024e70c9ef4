using System.Globalization;
using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Runtime;
using NeuralStyle.Tensors;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Robustness;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

/// <summary>
/// The bf16 engine path of ONNX graphs, on the bundled ResNet-18 (convolutions, batch normalisation, ReLU, pooling
/// and additions in bfloat16): features and their input gradient agree with float32 within bfloat16's rounding, a
/// short run's loss stays within 1% of float32's, a request resolves as on VGG, and the weights' bfloat16 copies are
/// made once.
/// </summary>
public sealed class OnnxBf16PrecisionTests(OnnxBf16PrecisionTests.Network resnet, ITestOutputHelper log) : IClassFixture<OnnxBf16PrecisionTests.Network>
{
    // The style and content layers of the backbone's defaults, shallow to deep, with the convolutions on the way to each.
    private static readonly (string Layer, int Convolutions)[] Layers =
    [
        ("relu", 1), ("layer1.1", 5), ("layer2.1", 9), ("layer3.0", 11), ("layer3.1", 13), ("layer4.0", 15),
    ];

    private static readonly Bf16Decision Refused = new(false, "the CPU (Old Xeon) has neither avx512_bf16 nor amx_bf16", [], 0);

    private static readonly Bf16Decision Passed = new(true, "avx512_bf16; all 6 bf16 convolution probes agree with float64", [], 0, SpeedRatio: 2.9);

    private static readonly Bf16Decision Slower = new(true, "avx512_bf16; all 6 bf16 convolution probes agree with float64; a VGG-sized convolution runs 0.70x as fast as fp32", [], 0, SpeedRatio: 0.7);

    [Fact]
    public void Bf16_features_agree_with_fp32_within_bfloat16s_rounding()
    {
        using var scope = NewDisposeScope();
        Tensor image = Image(96);
        string[] names = [.. Layers.Select(l => l.Layer)];
        IReadOnlyDictionary<string, Tensor> fp32 = resnet.Value.Extract(image, names, ComputePrecision.Float32);
        IReadOnlyDictionary<string, Tensor> bf16 = resnet.Value.Extract(image, names, ComputePrecision.BFloat16);
        foreach ((string layer, int convolutions) in Layers)
        {
            Assert.Equal(ScalarType.Float32, bf16[layer].dtype);
            Assert.Equal(fp32[layer].shape, bf16[layer].shape);
            double error = (bf16[layer] - fp32[layer]).abs().max().item<float>() / fp32[layer].abs().max().item<float>();
            // bfloat16 keeps 8 significant bits, so a rounding moves a value by at most 2^-9 of it. A convolution
            // whose two factors are rounded is off by at most 2^-8 of its sum of |terms| (Bf16Guard), and the batch
            // normalisation, ReLU and addition after it round once more (2^-9); each layer passes the error of
            // those before it on. The sums of |terms| are not the feature's scale, but deep features are of the
            // order of the largest: 2^-8 + 2^-9 per convolution on the path, added up as a worst case, bounds the
            // error relative to the largest feature (3e-2 at layer2.1, 7e-2 at layer4.0). An importer that left a
            // node in float32 or lost a bias is off by far more; exact float32 would be 0, hence the lower bound.
            double tolerance = convolutions * (Math.Pow(2, -8) + Math.Pow(2, -9));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{layer}: max error / max |feature| {error:0.0e+00} (tolerance {tolerance:0.0e+00})"));
            Assert.InRange(error, 1e-5, tolerance);
        }
    }

    [Fact]
    public void The_input_gradient_reaches_the_fp32_image_and_points_the_same_way()
    {
        using var scope = NewDisposeScope();
        Tensor image = Image(64);
        foreach (string layer in new[] { "layer1.1", "layer3.0" })
        {
            Tensor reference = InputGradient(image, layer, ComputePrecision.Float32);
            Tensor ours = InputGradient(image, layer, ComputePrecision.BFloat16);
            Assert.Equal(ScalarType.Float32, ours.dtype);
            double cosine = (ours * reference).sum().item<float>() / (ours.norm().item<float>() * reference.norm().item<float>());
            double difference = (ours - reference).norm().item<float>() / reference.norm().item<float>();
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{layer} input gradient: bf16 differs by {difference:0.0e+00}; cosine {cosine:0.0000}"));
            Assert.True(cosine > 0.95, $"{layer}: cosine {cosine}");
        }
    }

    [Fact]
    public void A_short_bf16_run_ends_within_1_percent_of_fp32s_loss()
    {
        RgbImage content = ImageResizer.ResizeToWidth(ImageReader.Read(Fixtures.Example("chelsea.png")), 64);
        RgbImage style = ImageResizer.ResizeToWidth(ImageReader.Read(Fixtures.Example("brick.png")), 64);
        if (!Bf16Guard.Current.Usable)
        {
            // A CPU without native bfloat16 (or whose check fails): the run is refused before it starts.
            var refused = Assert.Throws<ArgumentException>(() => new StyleTransfer(resnet.Value, new StyleTransferSettings { Precision = ComputePrecision.BFloat16 }));
            Assert.StartsWith("--precision bf16 refused: ", refused.Message, StringComparison.Ordinal);
            return;
        }

        double[] fp32 = Losses(content, style, ComputePrecision.Float32);
        double[] bf16 = Losses(content, style, ComputePrecision.BFloat16);
        log.WriteLine("fp32: " + string.Join(" ", fp32.Select(l => l.ToString("0.0000e+0", CultureInfo.InvariantCulture))));
        log.WriteLine("bf16: " + string.Join(" ", bf16.Select(l => l.ToString("0.0000e+0", CultureInfo.InvariantCulture))));
        Assert.InRange(bf16[^1] / fp32[^1], 0.99, 1.01);
        Assert.True(bf16[^1] < bf16[0], "the bf16 run must descend");
    }

    [Fact]
    public void The_weights_bfloat16_copies_are_made_once_and_counted_for_the_estimate()
    {
        using var scope = NewDisposeScope();
        Tensor image = Image(64);
        resnet.Value.Extract(image, ["layer1.1"], ComputePrecision.BFloat16);
        int copies = resnet.Value.Graph.BFloat16ConstantCount;
        Assert.True(copies > 0);
        resnet.Value.Extract(image, ["layer1.1"], ComputePrecision.BFloat16);
        Assert.Equal(copies, resnet.Value.Graph.BFloat16ConstantCount);
        Assert.Equal(resnet.Value.Graph.Model.SerializedBytes / 2, ((IFeatureNetwork)resnet.Value).BFloat16WeightBytes);
        Assert.Throws<ArgumentException>(() => resnet.Value.Extract(image, ["relu"], ComputePrecision.Auto));
    }

    [Fact]
    public void A_request_resolves_for_the_ONNX_backbone_as_for_VGG()
    {
        IFeatureNetwork network = resnet.Value;
        Assert.True(network.ComputesInBFloat16);
        Assert.Equal(ComputePrecision.BFloat16, PrecisionChoice.Resolve(ComputePrecision.BFloat16, network, () => Passed).Used);
        Assert.Equal(ComputePrecision.BFloat16, PrecisionChoice.Resolve(ComputePrecision.Auto, network, () => Passed).Used);
        Assert.Equal(ComputePrecision.BFloat16, PrecisionChoice.Resolve(ComputePrecision.BFloat16, network, () => Slower).Used);
        PrecisionChoice slower = PrecisionChoice.Resolve(ComputePrecision.Auto, network, () => Slower);
        Assert.Equal(ComputePrecision.Float32, slower.Used);
        Assert.StartsWith("auto chose fp32: bf16 is not faster here", slower.Reason, StringComparison.Ordinal);
        Assert.Equal(ComputePrecision.Float32, PrecisionChoice.Resolve(ComputePrecision.Auto, network, () => Refused).Used);
        var error = Assert.Throws<ArgumentException>(() => PrecisionChoice.Resolve(ComputePrecision.BFloat16, network, () => Refused));
        Assert.Equal("--precision bf16 refused: the CPU (Old Xeon) has neither avx512_bf16 nor amx_bf16; use --precision fp32 or auto", error.Message);

        // On this CPU: auto follows the process's decision (fp32 where bf16 is right but slower, as here), and an
        // explicit bf16 is given where the check passes and refused where it does not.
        Bf16Decision here = Bf16Guard.Current;
        Assert.Equal(here.WorthIt ? ComputePrecision.BFloat16 : ComputePrecision.Float32, PrecisionChoice.Resolve(ComputePrecision.Auto, network).Used);
        if (here.Usable)
        {
            Assert.Equal(ComputePrecision.BFloat16, PrecisionChoice.Resolve(ComputePrecision.BFloat16, network).Used);
        }
        else
        {
            Assert.Throws<ArgumentException>(() => PrecisionChoice.Resolve(ComputePrecision.BFloat16, network));
        }
    }

    // A seeded image of the natural pictures' scale, in the network's pixel convention.
    private static Tensor Image(int width)
    {
        RgbImage picture = ImageResizer.ResizeToWidth(ImageReader.Read(Fixtures.Example("chelsea.png")), width);
        return ImageTensors.Preprocess(picture, BundledResNet18.Pixels);
    }

    private Tensor InputGradient(Tensor image, string layer, ComputePrecision precision)
    {
        Tensor x = image.clone().requires_grad_();
        resnet.Value.Extract(x, [layer], precision)[layer].pow(2).sum().backward();
        return x.grad!;
    }

    // The backbone's own recipe (weights, smoothing, parameterisation) from the content image, as the README's command,
    // without the random transforms: each iteration's loss would then be of a differently transformed image, a
    // fluctuation of several per cent that has nothing to do with the arithmetic.
    private double[] Losses(RgbImage content, RgbImage style, ComputePrecision precision)
    {
        StyleTransferSettings backbone = PictureChoice.Backbone.ApplyTo(
            LossWeightChoice.Backbone.ApplyTo(new StyleTransferSettings(), BundledResNet18.Defaults.EffectiveWeights),
            BundledResNet18.Defaults.EffectivePicture);
        StyleTransferSettings settings = backbone with
        {
            Iterations = 8,
            PrintIterations = 1,
            Seed = 3,
            InitialNoiseBlend = 0,
            Precision = precision,
            Robustness = TransformRobustness.None,
        };
        var transfer = new StyleTransfer(resnet.Value, settings);
        Assert.Equal(precision, transfer.Precision.Used);
        return [.. transfer.Stylize(content, [style]).OfType<LossesEvaluated>().Select(e => e.Losses.Total)];
    }

    /// <summary>The bundled ResNet-18, loaded once for the class.</summary>
    public sealed class Network : IDisposable
    {
        public OnnxFeatureNetwork Value { get; } = BundledResNet18.Load();

        public void Dispose() => Value.Dispose();
    }
}
