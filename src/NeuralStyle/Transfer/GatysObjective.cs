using NeuralStyle.Imaging;
using NeuralStyle.Tensors;
using NeuralStyle.Transfer.Losses;
using static TorchSharp.torch;

namespace NeuralStyle.Transfer;

/// <summary>The seed's objective: targets computed once, then content, style and TV terms of any image.</summary>
/// <remarks>The style term compares Gram matrices as the seed does, or another statistic (<see cref="StyleLossKind"/>).</remarks>
internal sealed class GatysObjective : IDisposable
{
    private readonly IFeatureNetwork _network;
    private readonly StyleTransferSettings _settings;
    private readonly IReadOnlyList<LayerWeight> _contentLayers;
    private readonly IReadOnlyList<LayerWeight> _styleLayers;
    private readonly IReadOnlyList<double> _blend;
    private readonly Dictionary<string, Tensor> _contentTargets = new(StringComparer.Ordinal);
    private readonly List<Dictionary<string, IStyleTarget>> _styleTargets = [];
    private readonly string[] _layers;
    private readonly FeatureSmoothing _smoothing;
    private readonly Dictionary<string, double> _temperatures = new(StringComparer.Ordinal);
    private readonly PixelConvention _pixels;

    // The content image in network space, kept only when transforms are drawn: their content targets are its features
    // under the same transform.
    private readonly Tensor? _contentInput;

    // Set when the images are evaluated block by block (see Tiling.TiledLosses); the untiled targets are then empty.
    private readonly Tiling.TiledLosses? _tiled;

    public GatysObjective(IFeatureNetwork network, StyleTransferSettings settings, PixelConvention pixels, RgbImage content, IReadOnlyList<RgbImage> styles, Tiling.TiledPasses? tiling = null)
    {
        _network = network;
        _settings = settings;
        _pixels = pixels;
        _contentLayers = settings.ContentLayerWeights(network.Defaults);
        _styleLayers = settings.StyleLayerWeights(network.Defaults);
        _smoothing = settings.Smoothing ?? network.Defaults.Smoothing;
        _blend = settings.NormalisedBlendWeights(styles.Count);
        _layers = [.. settings.LayersInUse(network.Defaults)];
        if (tiling is not null)
        {
            (_tiled, _contentTargets, _contentInput) = Tiled(tiling, content, styles);
            return;
        }

        using var noGrad = no_grad();
        using (var scope = NewDisposeScope())
        {
            Tensor input = ImageTensors.Preprocess(content, pixels);
            if (!settings.Robustness.IsNone)
            {
                _contentInput = input.detach().clone().MoveToOuterDisposeScope();
            }

            IReadOnlyDictionary<string, Tensor> features = Features(network, settings.Precision, input, _smoothing == FeatureSmoothing.Swag ? _layers : [.. _contentLayers.Select(c => c.Layer)]);
            if (_smoothing == FeatureSmoothing.Swag)
            {
                foreach (string layer in _layers)
                {
                    _temperatures[layer] = FeatureSmoothers.Temperature(features[layer]);
                }
            }

            foreach (LayerWeight target in _contentLayers)
            {
                _contentTargets[target.Layer] = Smooth(target.Layer, features[target.Layer]).detach().clone().MoveToOuterDisposeScope();
            }
        }

        IStyleLoss styleLoss = StyleLosses.Create(settings.StyleLoss, settings.Seed);
        foreach (RgbImage style in styles)
        {
            using var scope = NewDisposeScope();
            Tensor input = ImageTensors.Preprocess(style, pixels);
            IReadOnlyDictionary<string, Tensor> features = Features(network, settings.Precision, input, [.. _styleLayers.Select(s => s.Layer)]);
            var targets = new Dictionary<string, IStyleTarget>(StringComparer.Ordinal);
            foreach (LayerWeight layer in _styleLayers)
            {
                targets[layer.Layer] = styleLoss.Target(Smooth(layer.Layer, features[layer.Layer]));
            }

            _styleTargets.Add(targets);
        }
    }

    // The tiled terms, the content targets at full size and, with transforms, the content image kept to be transformed.
    private (Tiling.TiledLosses, Dictionary<string, Tensor>, Tensor?) Tiled(Tiling.TiledPasses tiling, RgbImage content, IReadOnlyList<RgbImage> styles)
    {
        using var noGrad = no_grad();
        using Tensor input = ImageTensors.Preprocess(content, _pixels);
        var inputs = new List<Tensor>();
        try
        {
            foreach (RgbImage style in styles)
            {
                inputs.Add(ImageTensors.Preprocess(style, _pixels));
            }

            var tiled = new Tiling.TiledLosses(tiling, _settings, _network.Defaults, _smoothing, input, inputs);
            Dictionary<string, Tensor> targets = tiled.ContentTargets(input);
            return (tiled, targets, _settings.Robustness.IsNone ? null : input.detach().clone());
        }
        finally
        {
            foreach (Tensor t in inputs)
            {
                t.Dispose();
            }
        }
    }

    // The targets' features, which must be floating-point: a layer of another type (an ONNX comparison's Bool output)
    // would reach LibTorch's matrix product, which aborts the process on it instead of raising an error.
    private static IReadOnlyDictionary<string, Tensor> Features(IFeatureNetwork network, ComputePrecision precision, Tensor input, IReadOnlyCollection<string> layers)
    {
        IReadOnlyDictionary<string, Tensor> features = network.Extract(input, layers, precision);
        foreach ((string layer, Tensor value) in features)
        {
            if (!value.is_floating_point())
            {
                throw new ArgumentException($"layer '{layer}' gives {value.dtype} values, not features a loss can compare: choose another layer (see `neural-style layers`)");
            }
        }

        return features;
    }

    /// <summary>The content targets under <paramref name="transform"/>: the content image's features after the same transform (owned by the caller).</summary>
    public ContentTargets TargetsUnder(Robustness.RandomAffine transform)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor input = transform.Apply(_contentInput ?? throw new InvalidOperationException("the objective was built without transforms"));
        if (_tiled is not null)
        {
            return new ContentTargets(transform, _tiled.ContentTargets(input));
        }

        IReadOnlyDictionary<string, Tensor> features = Features(_network, _settings.Precision, input, [.. _contentLayers.Select(c => c.Layer)]);
        var targets = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (LayerWeight target in _contentLayers)
        {
            targets[target.Layer] = Smooth(target.Layer, features[target.Layer]).detach().clone().MoveToOuterDisposeScope();
        }

        return new ContentTargets(transform, targets);
    }

    /// <summary>Content, style and TV terms (weights applied) of <paramref name="x"/>, differentiable.</summary>
    /// <remarks>
    /// With <paramref name="transformed"/> the network sees the transformed image and the content term compares it
    /// with the content transformed alike; the TV terms always read the image itself.
    /// </remarks>
    public (Tensor Content, Tensor Style, Tensor Tv) Evaluate(Tensor x, ContentTargets? transformed = null)
    {
        Tensor seen = transformed is null ? x : transformed.Transform.Apply(x);
        IReadOnlyDictionary<string, Tensor> contentTargets = transformed?.Targets ?? _contentTargets;
        (Tensor content, Tensor style) = _tiled is null ? Untiled(seen, contentTargets) : TiledTerms(_tiled, seen, contentTargets);

        // The console's "tv loss" is the whole smoothness penalty: the seed's term and, when weighted, the colour one.
        Tensor tv = GatysLosses.TotalVariation(x) * _settings.TvWeight;
        if (_settings.ChromaTvWeight > 0)
        {
            tv = tv + (ChromaTotalVariation.Of(x, _pixels) * _settings.ChromaTvWeight);
        }

        return (content, style, tv);
    }

    // The tiled terms as tensors that backward() turns into their gradient: the values computed block by block, and
    // the gradient g reaches the image through sum(seen * g) - sum(seen * g).detach(), which is exactly zero.
    private static (Tensor Content, Tensor Style) TiledTerms(Tiling.TiledLosses tiled, Tensor seen, IReadOnlyDictionary<string, Tensor> contentTargets)
    {
        bool gradient = is_grad_enabled() && seen.requires_grad;
        (double contentValue, double styleValue, Tensor? g) = tiled.Evaluate(seen.detach(), contentTargets, gradient);
        Tensor content = tensor((float)contentValue);
        Tensor style = tensor((float)styleValue);
        if (g is not null)
        {
            using (g)
            {
                Tensor link = (seen * g).sum();
                style = style + (link - link.detach());
            }
        }

        return (content, style);
    }

    // Content and style terms from one pass of the whole image.
    private (Tensor Content, Tensor Style) Untiled(Tensor seen, IReadOnlyDictionary<string, Tensor> contentTargets)
    {
        Dictionary<string, Tensor> features = _network.Extract(seen, _layers, _settings.Precision).ToDictionary(f => f.Key, f => Smooth(f.Key, f.Value), StringComparer.Ordinal);

        Tensor content = zeros(1, ScalarType.Float32).squeeze();
        foreach ((string layer, double weight) in _contentLayers.Select(c => (c.Layer, c.Weight)))
        {
            content = content + (GatysLosses.MeanSquaredError(features[layer], contentTargets[layer]) * (_settings.ContentWeight * weight));
        }

        Tensor style = zeros(1, ScalarType.Float32).squeeze();
        for (int i = 0; i < _styleTargets.Count; i++)
        {
            Tensor perStyle = zeros(1, ScalarType.Float32).squeeze();
            foreach ((string layer, double weight) in _styleLayers.Select(l => (l.Layer, l.Weight)))
            {
                perStyle = perStyle + (_styleTargets[i][layer].Loss(features[layer]) * weight);
            }

            style = style + (perStyle * (_settings.StyleWeight * _blend[i]));
        }

        return (content, style);
    }

    /// <summary>The total loss of <paramref name="x"/> without building a graph (for checkpoints).</summary>
    public double EvaluateTotal(Tensor x)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        (Tensor c, Tensor s, Tensor t) = Evaluate(x);
        return (c + s + t).item<float>();
    }

    private Tensor Smooth(string layer, Tensor features) =>
        _smoothing == FeatureSmoothing.Swag ? FeatureSmoothers.Swag(features, _temperatures[layer]) : features;

    public void Dispose()
    {
        _tiled?.Dispose();
        _contentInput?.Dispose();
        foreach (Tensor t in _contentTargets.Values)
        {
            t.Dispose();
        }

        foreach (IStyleTarget t in _styleTargets.SelectMany(d => d.Values))
        {
            t.Dispose();
        }
    }
}
