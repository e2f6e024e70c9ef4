using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Runtime;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.MatConvNet;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

/// <summary>
/// The bf16 engine path on the tiny VGG: features and their input gradient agree with float32 within bfloat16's
/// rounding, a short run's losses follow float32's, and a request is resolved by backbone and CPU (a described CPU
/// decision, not this one, for the fallbacks).
/// </summary>
public class Bf16PrecisionTests(ITestOutputHelper log)
{
    private static readonly string[] Layers = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu4_2", "relu5_1"];

    private static readonly Bf16Decision Refused = new(false, "the CPU (Old Xeon) has neither avx512_bf16 nor amx_bf16", [], 0);

    private static readonly Bf16Decision Passed = new(true, "avx512_bf16; all 6 bf16 convolution probes agree with float64", [], 0, SpeedRatio: 2.9);

    private static readonly Bf16Decision Slower = new(true, "avx512_bf16; all 6 bf16 convolution probes agree with float64; a VGG-sized convolution runs 0.70x as fast as fp32", [], 0, SpeedRatio: 0.7);

    [Fact]
    public void Bf16_features_and_input_gradient_agree_with_fp32()
    {
        using var scope = NewDisposeScope();
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu5_1");
        var generator = new TorchSharp.torch.Generator(5);
        Tensor image = randn([1, 3, 40, 48], generator: generator) * 60;
        IReadOnlyDictionary<string, Tensor> fp32 = network.Extract(image, Layers, ComputePrecision.Float32);
        IReadOnlyDictionary<string, Tensor> bf16 = network.Extract(image, Layers, ComputePrecision.BFloat16);
        foreach (string layer in Layers)
        {
            Assert.Equal(ScalarType.Float32, bf16[layer].dtype);
            double error = (bf16[layer] - fp32[layer]).abs().max().item<float>() / fp32[layer].abs().max().item<float>();
            log.WriteLine($"{layer}: max error / max |feature| {error:0.0e+00}");
            // Rounding at every layer: 2^-8 per layer at worst, a few layers deep.
            Assert.InRange(error, 1e-5, 3e-2);
        }

        // The gradient reaches the float32 image through the casts. It is sensitive by nature: ReLU masks and max
        // pooling's choices switch under tiny changes of a noise input, so float32 itself moves by up to 12% (relu5_1)
        // when only its input is rounded to bfloat16. bf16 must stay within a few times that, in the same direction.
        Tensor rounded = image.to(ScalarType.BFloat16).to(ScalarType.Float32);
        foreach (string layer in Layers)
        {
            Tensor reference = InputGradient(network, image, layer, ComputePrecision.Float32);
            Tensor ours = InputGradient(network, image, layer, ComputePrecision.BFloat16);
            Tensor perturbed = InputGradient(network, rounded, layer, ComputePrecision.Float32);
            Assert.Equal(ScalarType.Float32, ours.dtype);
            double difference = (ours - reference).norm().item<float>() / reference.norm().item<float>();
            double intrinsic = (perturbed - reference).norm().item<float>() / reference.norm().item<float>();
            double cosine = (ours * reference).sum().item<float>() / (ours.norm().item<float>() * reference.norm().item<float>());
            log.WriteLine($"{layer} input gradient: bf16 differs by {difference:0.0e+00}, fp32 of the bf16-rounded input by {intrinsic:0.0e+00}; cosine {cosine:0.0000}");
            Assert.True(difference <= (4 * intrinsic) + 1e-2, $"{layer}: {difference} against {intrinsic}");
            Assert.True(cosine > 0.95, $"{layer}: cosine {cosine}");
        }
    }

    [Fact]
    public void A_short_bf16_run_follows_fp32s_losses_and_gives_a_finite_image()
    {
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu5_1");
        RgbImage content = ImageReader.Read(Fixtures.TinyVgg("content.png"));
        RgbImage style = ImageReader.Read(Fixtures.TinyVgg("style1.png"));
        (double[] fp32, RgbImage image32) = Run(network, content, style, ComputePrecision.Float32);
        (double[] bf16, RgbImage image16) = Run(network, content, style, ComputePrecision.BFloat16);
        log.WriteLine("fp32: " + string.Join(" ", fp32.Select(l => l.ToString("0.000e+0", System.Globalization.CultureInfo.InvariantCulture))));
        log.WriteLine("bf16: " + string.Join(" ", bf16.Select(l => l.ToString("0.000e+0", System.Globalization.CultureInfo.InvariantCulture))));

        // The first loss is of the same image in both: bfloat16's rounding alone.
        Assert.InRange(bf16[0] / fp32[0], 0.99, 1.01);
        Assert.InRange(bf16[^1] / fp32[^1], 0.95, 1.05);
        Assert.True(bf16[^1] < bf16[0] / 2, "the bf16 run must descend");
        Assert.All(image16.Pixels, p => Assert.True(float.IsFinite(p)));
        double mse = image16.Pixels.Zip(image32.Pixels, (a, b) => (double)(a - b) * (a - b)).Average();
        double psnr = 10 * Math.Log10(255.0 * 255.0 / mse);
        log.WriteLine($"PSNR of the bf16 image against the fp32 image: {psnr:0.0} dB");
        Assert.True(psnr > 25, $"PSNR {psnr}");
    }

    [Fact]
    public void Fp32_is_resolved_without_asking_the_CPU()
    {
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu1_1");
        PrecisionChoice choice = PrecisionChoice.Resolve(ComputePrecision.Float32, network, () => throw new InvalidOperationException("asked"));
        Assert.Equal(ComputePrecision.Float32, choice.Used);
    }

    [Fact]
    public void Auto_falls_back_to_fp32_on_a_CPU_without_bf16_and_says_why()
    {
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu1_1");
        PrecisionChoice auto = PrecisionChoice.Resolve(ComputePrecision.Auto, network, () => Refused);
        Assert.Equal(ComputePrecision.Float32, auto.Used);
        Assert.Equal("auto chose fp32: the CPU (Old Xeon) has neither avx512_bf16 nor amx_bf16", auto.Reason);

        var error = Assert.Throws<ArgumentException>(() => PrecisionChoice.Resolve(ComputePrecision.BFloat16, network, () => Refused));
        Assert.Equal("--precision bf16 refused: the CPU (Old Xeon) has neither avx512_bf16 nor amx_bf16; use --precision fp32 or auto", error.Message);

        Assert.Equal(ComputePrecision.BFloat16, PrecisionChoice.Resolve(ComputePrecision.Auto, network, () => Passed).Used);
        Assert.Equal(ComputePrecision.BFloat16, PrecisionChoice.Resolve(ComputePrecision.BFloat16, network, () => Passed).Used);
    }

    [Fact]
    public void Auto_stays_fp32_where_bf16_is_right_but_not_faster_and_explicit_bf16_is_still_given()
    {
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu1_1");
        PrecisionChoice auto = PrecisionChoice.Resolve(ComputePrecision.Auto, network, () => Slower);
        Assert.Equal(ComputePrecision.Float32, auto.Used);
        Assert.Equal("auto chose fp32: bf16 is not faster here (avx512_bf16; all 6 bf16 convolution probes agree with float64; a VGG-sized convolution runs 0.70x as fast as fp32; auto needs 1.2x)", auto.Reason);
        Assert.Equal(ComputePrecision.BFloat16, PrecisionChoice.Resolve(ComputePrecision.BFloat16, network, () => Slower).Used);
    }

    [Fact]
    public void A_backbone_without_a_bf16_path_refuses_bf16_and_sends_auto_to_fp32_without_the_check()
    {
        using var network = new ZooLikeNetwork();
        Func<Bf16Decision> never = () => throw new InvalidOperationException("the check must not run");
        var error = Assert.Throws<ArgumentException>(() => PrecisionChoice.Resolve(ComputePrecision.BFloat16, network, never));
        Assert.Equal("--precision bf16: the backbone a float32-only network has no bf16 path (VGG and ONNX graphs have); use --precision fp32 or auto", error.Message);
        PrecisionChoice auto = PrecisionChoice.Resolve(ComputePrecision.Auto, network, never);
        Assert.Equal(ComputePrecision.Float32, auto.Used);
        Assert.StartsWith("auto chose fp32: the backbone a float32-only network has no bf16 path", auto.Reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ((IFeatureNetwork)network).Extract(zeros(1, 3, 4, 4), ["a"], ComputePrecision.BFloat16));
    }

    private static Tensor InputGradient(VggFeatureNetwork network, Tensor image, string layer, ComputePrecision precision)
    {
        Tensor x = image.clone().requires_grad_();
        network.Extract(x, [layer], precision)[layer].pow(2).sum().backward();
        return x.grad!;
    }

    private static (double[] Losses, RgbImage Image) Run(VggFeatureNetwork network, RgbImage content, RgbImage style, ComputePrecision precision)
    {
        // From the content image at a moderate step: the seed's noise start at step 10 is chaotic enough that two
        // float32 runs on different thread counts part ways too.
        var settings = new StyleTransferSettings { Iterations = 40, PrintIterations = 1, Seed = 3, LearningRate = 2, InitialNoiseBlend = 0, Precision = precision };
        var transfer = new StyleTransfer(network, settings);
        Assert.Equal(precision, transfer.Precision.Used);
        var losses = new List<double>();
        RgbImage? image = null;
        foreach (TransferEvent e in transfer.Stylize(content, [style]))
        {
            if (e is LossesEvaluated evaluated)
            {
                losses.Add(evaluated.Losses.Total);
            }
            else if (e is ImageProduced { IsFinal: true } produced)
            {
                image = produced.Image;
            }
        }

        return ([.. losses], image!);
    }

    private sealed class ZooLikeNetwork : IFeatureNetwork, IDisposable
    {
        public string Description => "a float32-only network";

        public long WeightBytes => 0;

        public IReadOnlyList<string> LayerNames => ["a"];

        public PixelConvention Pixels => new(120, 120, 120);

        public BackboneDefaults Defaults => BackboneDefaults.Vgg;

        public IReadOnlyDictionary<string, Tensor> Extract(Tensor input, IReadOnlyCollection<string> layers) => new Dictionary<string, Tensor> { ["a"] = input };

        public void Dispose()
        {
        }
    }
}
