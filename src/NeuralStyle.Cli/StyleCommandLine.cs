using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Transfer;

namespace NeuralStyle.Cli;

/// <summary>The seed's flags (same names, same defaults) plus anishathalye/neural-style's later ones; binding in StyleCommandLine.Bind.cs.</summary>
internal sealed partial class StyleCommandLine
{
    private readonly Option<string> _content = Required<string>("--content", "content image", "CONTENT");
    private readonly Option<string[]> _styles = Many<string>("--styles", "one or more style images", "STYLE", required: true);
    private readonly Option<string> _output = Required<string>("--output", "output path", "OUTPUT");
    private readonly Option<string?> _checkpointOutput = Optional<string?>("--checkpoint-output", "checkpoint output format, must contain %s (e.g. foo%s.jpg)", "OUTPUT");
    private readonly Option<string?> _plot = Optional<string?>("--plot", "write a PNG plot of the losses (content, style, tv, total; log scale) against iteration and time, per scale, when the run ends (also when it stops or fails after some iterations)", "FILE.png");
    private readonly Option<int> _iterations = WithDefault("--iterations", "iterations", "ITERATIONS", 100);
    private readonly Option<int?> _width = Optional<int?>("--width", "output width (the content is resized, keeping its aspect)", "WIDTH");
    private readonly Option<double[]> _styleScales = Many<double>("--style-scales", "one or more style scales (default 1.0)", "STYLE_SCALE");
    private readonly Option<string?> _network = Optional<string?>("--network", $"path to network parameters: a MatConvNet .mat or an .onnx model, or a known weight file's name (`neural-style weights list`), or a zoo model's name with --weights (see `neural-style models list`) (default: {BackboneSelection.DefaultNetwork} if it is in the working directory, else the bundled ResNet-18)", "VGG_PATH");
    private readonly Option<bool> _download = Optional<bool>("--download", "with --network NAME of a known weight file (see `neural-style weights list`): download it first when it is in no cache; never downloads otherwise", null);
    private readonly Option<string?> _weights = Optional<string?>("--weights", "weights of a zoo --network NAME: a state dict saved with torch.save (zip or legacy) or as safetensors, told apart by content (loaded strictly)", "FILE");
    private readonly Option<double?> _contentWeight = Optional<double?>("--content-weight", "content weight (default 5 with VGG; the bundled ResNet-18 has its own)", "CONTENT_WEIGHT");
    private readonly Option<double> _contentWeightBlend = WithDefault("--content-weight-blend", "share of relu4_2 in the content loss, relu5_2 gets the rest", "CONTENT_WEIGHT_BLEND", 1.0);
    private readonly Option<double?> _styleWeight = Optional<double?>("--style-weight", "style weight (default 100 with VGG)", "STYLE_WEIGHT");
    private readonly Option<double> _styleLayerWeightExp = WithDefault("--style-layer-weight-exp", "style layer k gets weight exp^k (weights rescaled to sum to the layer count)", "STYLE_LAYER_WEIGHT_EXP", 1.0);
    private readonly Option<double[]> _styleBlendWeights = Many<double>("--style-blend-weights", "style blending weights (default equal)", "STYLE_BLEND_WEIGHT");
    private readonly Option<double?> _tvWeight = Optional<double?>("--tv-weight", "total variation regularization weight (default 100 with VGG)", "TV_WEIGHT");
    private readonly Option<double?> _learningRate = Optional<double?>("--learning-rate", "Adam's learning rate, or L-BFGS's step size with --optimizer lbfgs (default 10 with VGG, 2 with ResNet-18, 1 for L-BFGS)", "LEARNING_RATE");
    private readonly Option<double> _beta1 = WithDefault("--beta1", "Adam: beta1 parameter", "BETA1", 0.9);
    private readonly Option<double> _beta2 = WithDefault("--beta2", "Adam: beta2 parameter", "BETA2", 0.999);
    private readonly Option<double> _epsilon = WithDefault("--epsilon", "Adam: epsilon parameter", "EPSILON", 1e-8);
    private readonly Option<string?> _initial = Optional<string?>("--initial", "initial image", "INITIAL");
    private readonly Option<double?> _initialNoiseblend = Optional<double?>("--initial-noiseblend", "share of noise blended into the initial image (default 0 with --initial, else 1; below 1 without --initial the content is used)", "INITIAL_NOISEBLEND");
    private readonly Option<bool> _preserveColors = Optional<bool>("--preserve-colors", "style-only transfer: keep the content's colours (luminance of the result, chroma of the content)", null);
    private readonly Option<string> _pooling = WithDefault("--pooling", "pooling layer configuration: max or avg", "POOLING", "max");
    private readonly Option<int?> _printIterations = Optional<int?>("--print-iterations", "statistics printing frequency", "PRINT_ITERATIONS");
    private readonly Option<int?> _checkpointIterations = Optional<int?>("--checkpoint-iterations", "checkpoint frequency", "CHECKPOINT_ITERATIONS");
    private readonly Option<bool> _overwrite = Optional<bool>("--overwrite", "replace output files that already exist", null);
    private readonly Option<long?> _seed = Optional<long?>("--seed", "seed for the initial noise (repeatable runs)", "SEED");
    private readonly Option<int?> _threads = Optional<int?>("--threads", "CPU threads for the tensor library (default: all cores)", "THREADS");
    private readonly Option<string[]> _contentLayers = Many<string>("--content-layers", "content layers, each LAYER or LAYER:WEIGHT (default: the network's, relu4_2 for VGG)", "LAYER");
    private readonly Option<string[]> _styleLayers = Many<string>("--style-layers", "style layers, each LAYER or LAYER:WEIGHT (default: the network's, relu1_1 .. relu5_1 for VGG)", "LAYER");
    private readonly Option<string> _styleLoss = WithDefault("--style-loss", "style statistic: gram (the seed), meanstd (per-channel mean and std), w2 (Wasserstein-2 between Gaussian fits), sliced (sliced Wasserstein, fresh random projections each step)", "STYLE_LOSS", "gram");
    private readonly Option<string> _colorTransfer = WithDefault("--color-transfer", "before transfer, match each style image's colour mean and covariance to the content's: histogram (Cholesky) or histogram-sqrt (symmetric square roots); none keeps the style's colours", "MODE", "none");
    private readonly Option<bool> _luminanceOnly = Optional<bool>("--luminance-only", "transfer on luminance only (style luminance matched to the content's), then recombine with the content's chroma", null);
    private readonly Option<string?> _optimizer = Optional<string?>("--optimizer", "adam (the seed's, TensorFlow form; the default) or lbfgs", "OPTIMIZER");
    private readonly Option<string> _recipe = WithDefault("--recipe", "default schedule: ours (Adam over 3 scales, chosen by measurement) or seed (Adam on the output size only, as the seed); --scales overrides it", "RECIPE", "ours");
    private readonly Option<int> _lbfgsHistory = WithDefault("--lbfgs-history", "L-BFGS correction pairs kept (each costs two image-sized tensors)", "PAIRS", 100);
    private readonly Option<bool> _lbfgsLineSearch = Optional<bool>("--lbfgs-line-search", "L-BFGS: strong-Wolfe line search (default: fixed steps, as PyTorch without line_search_fn)", null);
    private readonly Option<double?> _average = Optional<double?>("--average", "write the exponential moving average of the image with this decay (e.g. 0.99) instead of the best iterate; both losses go to the manifest", "DECAY");
    private readonly Option<string?> _resume = Optional<string?>("--resume", "continue the run recorded in OUTPUT.json (its arguments; add --iterations N to go further)", "OUTPUT.json");
    private readonly Option<int?> _scales = Optional<int?>("--scales", "coarse-to-fine scales; --iterations is the final scale's, --coarse-iterations each coarser one's (default: 3; 1 with --recipe seed)", "N");
    private readonly Option<int> _coarseIterations = WithDefault("--coarse-iterations", "iterations of every coarser scale", "N", StyleRecipe.DefaultCoarseIterations);
    private readonly Option<int?> _minSize = Optional<int?>("--min-size", "long side of the coarsest scale in pixels; sizes grow geometrically to the output size (default: a quarter of the output's long side, at least 64)", "PX");
    private readonly Option<int?> _maxMemory = Optional<int?>("--max-memory", "refuse to start when the estimated peak memory exceeds this many MiB (default: the memory available now)", "MIB");
    private readonly Option<int?> _tile = Optional<int?>("--tile", "evaluate images larger than SIZE pixels in overlapping blocks of SIZE, exactly (same result, memory of one block); default: only when the untiled run would not fit the memory budget", "SIZE");
    private readonly Option<long?> _maxPixels = Optional<long?>("--max-pixels", string.Create(CultureInfo.InvariantCulture, $"refuse input images with more pixels than this, before decoding them: a guard against decompression bombs (default: {ImageLimits.DefaultMaxPixels}, where Pillow refuses)"), "N");
    private readonly Option<string> _precision = WithDefault("--precision", "the backbone's arithmetic (VGG and ONNX networks; zoo models run fp32): fp32, bf16 (convolutions in bfloat16, losses and optimiser in float32; needs a CPU with AVX512_BF16 or AMX-BF16 and passes a start-up check against float64) or auto (bf16 where allowed, else fp32)", "PRECISION", "fp32");
    private readonly Option<string?> _web = Optional<string?>("--web", "serve a live view of the run (picture, losses, ETA, options, a stop button) at [HOST:]PORT; HOST defaults to 127.0.0.1 (this machine only), PORT 0 takes any free port; the address is printed", "[HOST:]PORT");
    private readonly Option<string?> _smoothing = Optional<string?>("--smoothing", "activation smoothing before the losses: swag or none (default: none for VGG, swag for other backbones)", "SMOOTHING");

    /// <summary>The options; with <paramref name="resuming"/> (--resume) the content, styles and output come from the recorded run, so none is required.</summary>
    public StyleCommandLine(bool resuming = false)
    {
        _content.Required = !resuming;
        _styles.Required = !resuming;
        _output.Required = !resuming;
        OneOf(_pooling, "max", "avg");
        OneOf(_smoothing, "swag", "none");
        OneOf(_styleLoss, "gram", "meanstd", "w2", "sliced");
        OneOf(_colorTransfer, "none", "histogram", "histogram-sqrt");
        OneOf(_optimizer, "adam", "lbfgs");
        OneOf(_recipe, "ours", "seed");
        OneOf(_precision, "fp32", "bf16", "auto");
        OneOf(_parameterization, "pixel", "fourier", "pyramid");
        OneOf(_decorrelateColors, "on", "off");
        Root = new RootCommand("Neural style transfer (Gatys et al.): paints the content image in the style of the style images.");
        foreach (Option option in new Option[]
        {
            _content, _styles, _output, _checkpointOutput, _iterations, _width, _styleScales, _network, _download, _weights, _contentWeight,
            _contentWeightBlend, _styleWeight, _styleLayerWeightExp, _styleBlendWeights, _tvWeight, _chromaTvWeight, _learningRate,
            _beta1, _beta2, _epsilon, _initial, _initialNoiseblend, _preserveColors, _pooling, _printIterations,
            _checkpointIterations, _overwrite, _seed, _threads, _contentLayers, _styleLayers, _smoothing, _maxMemory, _maxPixels, _styleLoss, _colorTransfer, _luminanceOnly, _recipe, _optimizer,
            _lbfgsHistory, _lbfgsLineSearch, _average, _resume, _scales, _coarseIterations, _minSize,
            _parameterization, _decorrelateColors, _jitter, _scaleRange, _rotation, _precision, _tile, _web, _plot,
        })
        {
            Root.Options.Add(option);
        }
    }

    public RootCommand Root { get; }

    // In one line naming the flag, like the numbers' errors (AcceptOnlyFromAmong's message lists the values on lines of their own).
    private static void OneOf(Option option, params string[] values)
    {
        option.Validators.Add(result =>
        {
            foreach (Token token in result.Tokens.Where(t => !values.Contains(t.Value, StringComparer.Ordinal)))
            {
                result.AddError($"{option.Name} expects {string.Join(", ", values[..^1])} or {values[^1]}, got '{token.Value}'");
                return;
            }
        });
        option.CompletionSources.Add(values);
    }

    private static Option<T> Required<T>(string name, string description, string helpName) =>
        new(name) { Description = description, HelpName = helpName, Required = true };

    private static Option<T> Optional<T>(string name, string description, string? helpName) =>
        new(name) { Description = description, HelpName = helpName };

    private static Option<T> WithDefault<T>(string name, string description, string helpName, T value) =>
        new(name) { Description = description, HelpName = helpName, DefaultValueFactory = _ => value };

    private static Option<T[]> Many<T>(string name, string description, string helpName, bool required = false) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            Required = required,
            AllowMultipleArgumentsPerToken = true,
            Arity = required ? ArgumentArity.OneOrMore : ArgumentArity.ZeroOrMore,
        };
}
