using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Losses;
using NeuralStyle.Transfer.Tiling;
using NeuralStyle.Tensors;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer.Tiling;

/// <summary>
/// Issue 15's proof of exactness: the loss and the image gradient computed block by block equal the untiled ones (to
/// float32 rounding) for several tile sizes, every style loss that is a sum over pixels, SWAG, and both kinds of
/// backbone; the margin the probe measures is the receptive field's, and one alignment less is not enough.
/// </summary>
public class TiledExactnessTests(ITestOutputHelper output, TiledExactnessTests.Networks _networks) : IClassFixture<TiledExactnessTests.Networks>
{
    [Fact]
    public void The_probe_finds_VGG19s_stride_and_a_margin_that_covers_its_receptive_field()
    {
        TilingGeometry geometry = _networks.VggGeometry;
        output.WriteLine($"alignment {geometry.Alignment}, margin {geometry.Margin}");
        Assert.Equal(16, geometry.Alignment);
        Assert.Equal(1, geometry.Strides["relu1_1"]);
        Assert.Equal(16, geometry.Strides["relu5_1"]);
        // relu5_1's receptive field is 156 pixels wide (3x3 convolutions and 2x2 pools, analytically): a cell of 16
        // pixels reaches 70 pixels before it and 70 after its end, which the next multiple of 16 covers.
        Assert.Equal(80, geometry.Margin);
    }

    [Theory]
    [InlineData(64, StyleLossKind.Gram)]
    [InlineData(96, StyleLossKind.Gram)]
    [InlineData(160, StyleLossKind.Gram)]
    [InlineData(96, StyleLossKind.MeanStd)]
    public void Tiled_VGG19_loss_and_gradient_equal_the_untiled(int tile, StyleLossKind loss)
    {
        var settings = new StyleTransferSettings { Seed = 3, StyleLoss = loss };
        Compare(_networks.Vgg, settings, tile, 224, 176, 1e-4);
    }

    /// <remarks>
    /// The 2-Wasserstein loss back-propagates through float32 Newton-Schulz iterations of a nearly singular matrix,
    /// which amplify the last digits of the covariance: the untiled covariance (centred, float32) and the tiled one (sums
    /// in float64) differ there, and the gradients by about 5e-4 of their norm. The values agree to 1e-5.
    /// </remarks>
    [Fact]
    public void Tiled_VGG19_with_the_2_Wasserstein_loss_equals_the_untiled_to_its_float32_conditioning()
    {
        var settings = new StyleTransferSettings { Seed = 3, StyleLoss = StyleLossKind.Wasserstein2 };
        Compare(_networks.Vgg, settings, 96, 224, 176, 1e-5, gradientTolerance: 2e-3);
    }

    [Fact]
    public void Tiled_bundled_ResNet18_equals_the_untiled()
    {
        OnnxFeatureNetwork network = _networks.ResNet;
        StyleTransferSettings settings = ResNetRecipe(network) with { Smoothing = FeatureSmoothing.None };
        TilingGeometry geometry = TilingGeometry.Measure(network, settings.LayersInUse(network.Defaults));
        output.WriteLine($"ResNet-18: alignment {geometry.Alignment}, margin {geometry.Margin}");
        Assert.Equal(32, geometry.Alignment);
        Compare(network, settings, 128, 416, 352, 1e-4);
    }

    /// <remarks>
    /// SWAG's Gram matrices are close to all ones, so their differences lose float32 digits: the untiled float32 style
    /// term is about 2e-3 away from the same computation carried on in float64 after the network, while the tiled one,
    /// whose totals are float64, is within 1e-6 of it; the gradients follow. Here both are measured against that float64
    /// reference: the tiled result must be no further from it than the untiled one (twice its distance, or 1e-5 for the
    /// terms and 1e-4 for the gradient when the untiled is closer still), and the two are compared at the untiled one's
    /// accuracy. (The content term's float32 rounding, about 2e-4 of it with SWAG, is the same tiled or not.)
    /// </remarks>
    [Fact]
    public void Tiled_bundled_ResNet18_with_SWAG_equals_the_float64_reference()
    {
        OnnxFeatureNetwork network = _networks.ResNet;
        StyleTransferSettings settings = ResNetRecipe(network);
        Assert.Equal(FeatureSmoothing.Swag, settings.Smoothing ?? network.Defaults.Smoothing);
        AgainstFloat64(network, settings, 128, 416, 352);
    }

    [Fact]
    public void Tiled_VGG19_with_SWAG_equals_the_float64_reference()
    {
        var settings = new StyleTransferSettings { Seed = 3, Smoothing = FeatureSmoothing.Swag };
        AgainstFloat64(_networks.Vgg, settings, 96, 224, 176);
    }

    private void AgainstFloat64(IFeatureNetwork network, StyleTransferSettings settings, int tile, int width, int height)
    {
        using var scope = NewDisposeScope();
        (double[] untiled, double[] tiled, Tensor gu, Tensor gt) = Compare(network, settings, tile, width, height, 1e-4, styleTolerance: 5e-3, gradientTolerance: 3e-3);
        (double[] reference, Tensor g64) = Float64Reference(network, settings, width, height);
        for (int k = 0; k < 2; k++)
        {
            double offU = Math.Abs(untiled[k] - reference[k]) / reference[k], offT = Math.Abs(tiled[k] - reference[k]) / reference[k];
            output.WriteLine($"term {k}: float64 {reference[k]:G9}; untiled off by {offU:E2}, tiled by {offT:E2}");
            Assert.True(offT <= Math.Max(2 * offU, 1e-5), $"term {k}: tiled {tiled[k]} is further from float64 {reference[k]} than the untiled {untiled[k]}");
        }

        double errorU = (gu - g64).norm().item<float>() / g64.norm().item<float>();
        double errorT = (gt - g64).norm().item<float>() / g64.norm().item<float>();
        output.WriteLine($"gradient against the float64 reference: untiled off by {errorU:E2} of its norm, tiled by {errorT:E2}");
        Assert.True(errorT <= Math.Max(2 * errorU, 1e-4), $"the tiled gradient is further from the float64 reference ({errorT:E2}) than the untiled ({errorU:E2})");
    }

    private static StyleTransferSettings ResNetRecipe(IFeatureNetwork network) =>
        PictureChoice.Backbone.ApplyTo(
            LossWeightChoice.Backbone.ApplyTo(new StyleTransferSettings { Seed = 3 }, network.Defaults.EffectiveWeights),
            network.Defaults.EffectivePicture) with
        { Robustness = NeuralStyle.Transfer.Robustness.TransformRobustness.None };

    // The weighted content and style terms of Compare's inputs (Gram loss, SWAG where the settings say) with every step
    // after the network in float64, and their gradient with respect to the image.
    private static (double[] Terms, Tensor Gradient) Float64Reference(IFeatureNetwork network, StyleTransferSettings settings, int width, int height)
    {
        (RgbImage content, RgbImage style, Tensor x) = Inputs(width, height);
        x.requires_grad_(true);
        string[] layers = [.. settings.LayersInUse(network.Defaults)];
        bool swag = (settings.Smoothing ?? network.Defaults.Smoothing) == FeatureSmoothing.Swag;
        IReadOnlyDictionary<string, Tensor> cf, sf;
        using (no_grad())
        {
            cf = network.Extract(ImageTensors.Preprocess(content, network.Pixels), layers);
            sf = network.Extract(ImageTensors.Preprocess(style, network.Pixels), layers);
        }

        IReadOnlyDictionary<string, Tensor> xf = network.Extract(x, layers);
        Tensor Smooth(string layer, Tensor f)
        {
            Tensor wide = f.to_type(ScalarType.Float64).contiguous();
            double t = cf[layer].to_type(ScalarType.Float64).std().item<double>() * FeatureSmoothers.TemperatureInStandardDeviations;
            return swag ? FeatureSmoothers.Swag(wide, Math.Max(t, 1e-6)) : wide;
        }

        Tensor contentTerm = zeros(1, ScalarType.Float64).squeeze();
        foreach (LayerWeight l in settings.ContentLayerWeights(network.Defaults))
        {
            contentTerm = contentTerm + (GatysLosses.MeanSquaredError(Smooth(l.Layer, xf[l.Layer]), Smooth(l.Layer, cf[l.Layer])) * (settings.ContentWeight * l.Weight));
        }

        Tensor styleTerm = zeros(1, ScalarType.Float64).squeeze();
        foreach (LayerWeight l in settings.StyleLayerWeights(network.Defaults))
        {
            Tensor gs = GatysLosses.Gram(Smooth(l.Layer, sf[l.Layer]));
            Tensor gx = GatysLosses.Gram(Smooth(l.Layer, xf[l.Layer]));
            styleTerm = styleTerm + (GatysLosses.MeanSquaredError(gx, gs) * l.Weight);
        }

        styleTerm = styleTerm * settings.StyleWeight;
        (contentTerm + styleTerm).backward();
        return ([contentTerm.item<double>(), styleTerm.item<double>()], x.grad!.detach().clone());
    }

    private static (RgbImage Content, RgbImage Style, Tensor X) Inputs(int width, int height)
    {
        var random = new Random(7);
        RgbImage Image(int w, int h) => new(w, h, [.. Enumerable.Range(0, w * h * 3).Select(_ => (float)(random.NextDouble() * 255))]);
        return (Image(width, height), Image(width - 32, height + 16), randn([1, 3, height, width], generator: new Generator(9)) * 40);
    }

    private (double[] Untiled, double[] Tiled, Tensor UntiledGradient, Tensor TiledGradient) Compare(IFeatureNetwork network, StyleTransferSettings settings, int tile, int width, int height, double tolerance, double? styleTolerance = null, double? gradientTolerance = null)
    {
        using var scope = NewDisposeScope();
        (RgbImage content, RgbImage style, Tensor x) = Inputs(width, height);
        x.requires_grad_(true);

        (double[] untiled, Tensor gu) = Evaluate(network, settings, content, style, x, null);
        var passes = new TiledPasses(network, TilingGeometry.Measure(network, settings.LayersInUse(network.Defaults)), tile, settings.Precision);
        (double[] tiled, Tensor gt) = Evaluate(network, settings, content, style, x, passes);
        output.WriteLine($"tile {tile}: blocks {passes.GridFor(x).Blocks.Count}; content {untiled[0]:G9} / {tiled[0]:G9}, style {untiled[1]:G9} / {tiled[1]:G9}");
        Assert.True(passes.GridFor(x).Blocks.Count > 1);
        double[] tolerances = [tolerance, styleTolerance ?? tolerance];
        for (int k = 0; k < 2; k++)
        {
            Assert.True(Math.Abs(tiled[k] - untiled[k]) <= tolerances[k] * Math.Abs(untiled[k]), $"term {k}: tiled {tiled[k]} against {untiled[k]}");
        }

        double error = (gt - gu).norm().item<float>() / gu.norm().item<float>();
        double worst = (gt - gu).abs().max().item<float>() / gu.abs().max().item<float>();
        output.WriteLine($"gradient: relative norm error {error:E2}, worst element {worst:E2}");
        Assert.True(error <= (gradientTolerance ?? tolerance), $"gradient differs by {error:E2} of its norm");
        Assert.True(worst <= 10 * (gradientTolerance ?? tolerance), $"gradient's worst element differs by {worst:E2} of its largest");
        return (untiled, tiled, gu.MoveToOuterDisposeScope(), gt.MoveToOuterDisposeScope());
    }

    private static (double[] Terms, Tensor Gradient) Evaluate(IFeatureNetwork network, StyleTransferSettings settings, RgbImage content, RgbImage style, Tensor x, TiledPasses? passes)
    {
        using var objective = new GatysObjective(network, settings, network.Pixels, content, [style], passes);
        x.grad?.zero_();
        (Tensor c, Tensor s, Tensor tv) = objective.Evaluate(x);
        // Only the terms tiling computes: the TV terms read the image directly and would dominate the comparison.
        (c + s).backward();
        return ([c.item<float>(), s.item<float>()], x.grad!.detach().clone());
    }

    /// <summary>The networks the tests share (built once).</summary>
    public sealed class Networks : IDisposable
    {
        private TilingGeometry? _vggGeometry;
        private OnnxFeatureNetwork? _resnet;

        public VggFeatureNetwork Vgg { get; } = RandomVgg19.Create("relu5_1", seed: 4);

        public TilingGeometry VggGeometry => _vggGeometry ??= TilingGeometry.Measure(Vgg, [.. new StyleTransferSettings().LayersInUse(Vgg.Defaults)]);

        public OnnxFeatureNetwork ResNet => _resnet ??= BundledResNet18.Load();

        public void Dispose()
        {
            Vgg.Dispose();
            _resnet?.Dispose();
        }
    }
}
