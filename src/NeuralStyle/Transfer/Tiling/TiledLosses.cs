using NeuralStyle.Transfer.Losses;
using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Tiling;

/// <summary>
/// The content and style terms of an image too large for one pass, computed exactly block by block (Galerne et al.
/// 2023, "Scaling Painting Style Transfer"): the gradient equals the untiled one, and the peak memory is one block's.
/// </summary>
/// <remarks>
/// <para>
/// Every statistic the losses read is a sum over pixels: the Gram matrix (sum of f f^T), means and covariances, the
/// content term (sum of (f - t)^2), and SWAG's normaliser (sum of exp(f / T)). One evaluation therefore runs in three
/// steps. (1) Each block runs without gradients and adds its inner features' sums to the totals (float64). (2) The loss
/// is computed from the totals, which are leaves of a small graph, and its derivative with respect to each total is
/// taken. (3) Each block runs again with gradients, and the scalar sum over totals of (dL/dtotal . block's sum) is
/// back-propagated to the block's input: summed over blocks, that is the gradient of the loss with respect to the
/// image, because the loss depends on the features only through the totals.
/// </para>
/// <para>
/// SWAG's softmax is exp(f / T - M) / Z times the entry count: M, the largest value, is found by a pass of its own
/// first (it keeps exp() finite and drops out of the result), and Z becomes one more total. A sum of degree d in the
/// features scales by (n / Z)^d, so the style statistics and the content term are sums of exp(f / T - M) scaled after.
/// </para>
/// </remarks>
internal sealed class TiledLosses : IDisposable
{
    private readonly TiledPasses _passes;
    private readonly StyleTransferSettings _settings;
    private readonly IReadOnlyList<LayerWeight> _contentLayers;
    private readonly IReadOnlyList<LayerWeight> _styleLayers;
    private readonly HashSet<string> _contentNames;
    private readonly HashSet<string> _styleNames;
    private readonly string[] _layers;
    private readonly IReadOnlyList<double> _blend;
    private readonly ISummedStyleLoss _loss;
    private readonly bool _swag;
    private readonly Dictionary<string, double> _temperatures = new(StringComparer.Ordinal);
    private readonly List<Dictionary<string, ISummedStyleTarget>> _styleTargets = [];

    /// <summary>Prepares the terms and computes the style targets of <paramref name="styles"/> (network inputs) block by block.</summary>
    /// <param name="passes">The network, its geometry and the tile size.</param>
    /// <param name="settings">The run's settings (layers, weights, style loss).</param>
    /// <param name="defaults">The backbone's defaults.</param>
    /// <param name="smoothing">The feature smoothing in force.</param>
    /// <param name="content">The content image as the network's input (for SWAG's temperatures).</param>
    /// <param name="styles">The style images as the network's inputs.</param>
    public TiledLosses(TiledPasses passes, StyleTransferSettings settings, BackboneDefaults defaults, FeatureSmoothing smoothing, Tensor content, IReadOnlyList<Tensor> styles)
    {
        _passes = passes;
        _settings = settings;
        _contentLayers = settings.ContentLayerWeights(defaults);
        _styleLayers = settings.StyleLayerWeights(defaults);
        _contentNames = [.. _contentLayers.Select(l => l.Layer)];
        _styleNames = [.. _styleLayers.Select(l => l.Layer)];
        _layers = [.. settings.LayersInUse(defaults)];
        _blend = settings.NormalisedBlendWeights(styles.Count);
        _loss = StyleLosses.Create(settings.StyleLoss, settings.Seed) as ISummedStyleLoss
            ?? throw new ArgumentException(Unsupported(settings.StyleLoss));
        _swag = smoothing == FeatureSmoothing.Swag;
        if (_swag)
        {
            Temperatures(content);
        }

        foreach (Tensor style in styles)
        {
            _styleTargets.Add(StyleTargets(style));
        }
    }

    /// <summary>Why a style loss cannot be tiled, or null when it can.</summary>
    public static string? Refusal(StyleLossKind kind) =>
        StyleLosses.Create(kind, 0) is ISummedStyleLoss ? null : Unsupported(kind);

    private static string Unsupported(StyleLossKind kind) =>
        $"the {kind} style loss cannot be tiled (its statistic, sorted projections of every pixel, is not a sum over pixels): choose another --style-loss, or a size that fits untiled";

    /// <summary>The content targets of a content image (network input): its features, smoothed, assembled at full size (owned by the caller, in no dispose scope).</summary>
    public Dictionary<string, Tensor> ContentTargets(Tensor content)
    {
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> features = _passes.Assemble(content, [.. _contentNames]);
        foreach (string layer in _contentNames)
        {
            Tensor target = _swag ? FeatureSmoothers.Swag(features[layer], _temperatures[layer]) : features[layer];
            features[layer] = target.DetachFromDisposeScope();
        }

        return features;
    }

    /// <summary>The weighted content and style terms of <paramref name="image"/> (a network input, detached), and with <paramref name="gradient"/> their gradient with respect to it.</summary>
    public (double Content, double Style, Tensor? Gradient) Evaluate(Tensor image, IReadOnlyDictionary<string, Tensor> contentTargets, bool gradient)
    {
        TileGrid grid = _passes.GridFor(image);
        IReadOnlyDictionary<string, double>? shifts = _swag ? Shifts(image, grid) : null;

        // (1) the totals, block by block.
        using BlockTotals gathered = Gather(image, grid, _layers, (block, layer, f) => LayerSums(layer, f, TargetCrop(contentTargets, layer, block, f), shifts));
        (Dictionary<string, Tensor[]> totals, Dictionary<string, long> pixels, Dictionary<string, long> channels) = gathered;

        // (2) the loss of the totals and its derivative with respect to each of them.
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor[]> leaves = totals.ToDictionary(kv => kv.Key, kv => kv.Value.Select(t => t.detach().requires_grad_(gradient)).ToArray(), StringComparer.Ordinal);
        (Tensor content, Tensor style) = LossFromTotals(leaves, pixels, channels, contentTargets);
        double contentValue = content.item<double>(), styleValue = style.item<double>();
        if (!gradient)
        {
            return (contentValue, styleValue, null);
        }

        (content + style).backward();
        var slopes = leaves.ToDictionary(kv => kv.Key, kv => kv.Value.Select(t => t.grad ?? zeros_like(t)).ToArray(), StringComparer.Ordinal);

        // (3) each block again, back-propagating the totals' derivatives to the image.
        Tensor result = zeros_like(image).MoveToOuterDisposeScope();
        foreach (TileBlock block in grid.Blocks)
        {
            using var blockScope = NewDisposeScope();
            using var enable = enable_grad();
            Tensor input = TiledPasses.Crop(image, block).detach().contiguous().requires_grad_(true);
            IReadOnlyDictionary<string, Tensor> features = _passes.Features(input, _layers);
            Tensor surrogate = zeros(1, ScalarType.Float32).squeeze();
            foreach (string layer in _layers)
            {
                Tensor f = _passes.Inner(features[layer], block, grid, layer);
                IReadOnlyList<Tensor> sums = LayerSums(layer, f, TargetCrop(contentTargets, layer, block, f), shifts);
                for (int k = 0; k < sums.Count; k++)
                {
                    surrogate = surrogate + (sums[k] * slopes[layer][k].to_type(sums[k].dtype)).sum().to_type(ScalarType.Float32);
                }
            }

            surrogate.backward();
            using var noGrad = no_grad();
            result[.., .., block.Top..block.Bottom, block.Left..block.Right].add_(input.grad!);
        }

        return (contentValue, styleValue, result);
    }

    // Runs every block without gradients and adds the sums sumsOf(block, layer, inner features) gives to each layer's
    // float64 totals, counting the layers' pixels and channels on the way.
    private BlockTotals Gather(Tensor image, TileGrid grid, string[] layers, Func<TileBlock, string, Tensor, IReadOnlyList<Tensor>> sumsOf)
    {
        var gathered = new BlockTotals(new(StringComparer.Ordinal), layers.ToDictionary(l => l, _ => 0L, StringComparer.Ordinal), new(StringComparer.Ordinal));
        try
        {
            _passes.ForEachBlock(image, grid, layers, (block, inner) =>
            {
                foreach (string layer in layers)
                {
                    Tensor f = inner[layer];
                    gathered.Pixels[layer] += f.shape[2] * f.shape[3];
                    gathered.Channels[layer] = f.shape[1];
                    IReadOnlyList<Tensor> sums = sumsOf(block, layer, f);
                    if (!gathered.Sums.TryGetValue(layer, out Tensor[]? sofar))
                    {
                        // The first block's sums become the totals, out of the block's dispose scope.
                        gathered.Sums[layer] = [.. sums.Select(t => t.to_type(ScalarType.Float64).DetachFromDisposeScope())];
                        continue;
                    }

                    for (int k = 0; k < sums.Count; k++)
                    {
                        sofar[k].add_(sums[k].to_type(ScalarType.Float64));
                    }
                }
            });
            return gathered;
        }
        catch
        {
            gathered.Dispose();
            throw;
        }
    }

    // Per layer: the float64 totals, the pixels they were summed over, and the channels.
    private sealed record BlockTotals(Dictionary<string, Tensor[]> Sums, Dictionary<string, long> Pixels, Dictionary<string, long> Channels) : IDisposable
    {
        public void Dispose()
        {
            foreach (Tensor t in Sums.Values.SelectMany(t => t))
            {
                t.Dispose();
            }
        }
    }

    // The content target's cells under the block's inner features, or null for a layer that is not a content layer.
    private Tensor? TargetCrop(IReadOnlyDictionary<string, Tensor> targets, string layer, TileBlock block, Tensor inner)
    {
        if (!_contentNames.Contains(layer))
        {
            return null;
        }

        (long row, long column) = _passes.InnerOrigin(block, layer);
        return targets[layer].narrow(2, row, inner.shape[2]).narrow(3, column, inner.shape[3]);
    }

    // The sums one layer contributes, in a fixed order: the style loss's sums (style layers), then the content term's
    // (content layers), then SWAG's normaliser. Differentiable in f.
    // With SWAG they are taken in float64: the gradient through the Gram sum and through the normaliser Z are large and
    // nearly cancel (the Gram matrix of softmax outputs hardly changes when all of them scale), which in float32 cost
    // three digits of the image gradient (measured on the bundled ResNet-18 against a float64 reference).
    private List<Tensor> LayerSums(string layer, Tensor f, Tensor? target, IReadOnlyDictionary<string, double>? shifts)
    {
        Tensor e = shifts is null ? f : ((f.to_type(ScalarType.Float64) / _temperatures[layer]) - shifts[layer]).exp();
        var sums = new List<Tensor>();
        if (_styleNames.Contains(layer))
        {
            sums.AddRange(_loss.Sums(e));
        }

        if (target is not null)
        {
            if (shifts is null)
            {
                sums.Add((f - target).square().sum());
            }
            else
            {
                sums.Add(e.square().sum());
                sums.Add((e * target).sum());
            }
        }

        if (shifts is not null)
        {
            sums.Add(e.sum());
        }

        return sums;
    }

    // The weighted content and style terms from the totals (in their type, float64).
    private (Tensor Content, Tensor Style) LossFromTotals(Dictionary<string, Tensor[]> totals, Dictionary<string, long> pixels, Dictionary<string, long> channels, IReadOnlyDictionary<string, Tensor> contentTargets)
    {
        var styleSums = new Dictionary<string, Tensor[]>(StringComparer.Ordinal);
        var contentTerms = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (string layer in _layers)
        {
            Tensor[] t = totals[layer];
            double entries = (double)pixels[layer] * channels[layer];
            // SWAG's factor n / Z, applied to each sum once per degree.
            Tensor? scale = _swag ? entries / t[^1] : null;
            int k = 0;
            if (_styleNames.Contains(layer))
            {
                styleSums[layer] = [.. _loss.Degrees.Select(d => Scaled(t[k++], scale, d))];
            }

            if (_contentNames.Contains(layer))
            {
                if (scale is null)
                {
                    contentTerms[layer] = t[k] / entries;
                }
                else
                {
                    // sum (s e - t)^2 = s^2 sum e^2 - 2 s sum e t + sum t^2, with s = n / Z.
                    double squares = contentTargets[layer].to_type(ScalarType.Float64).square().sum().item<double>();
                    contentTerms[layer] = ((scale.square() * t[k]) - (2 * scale * t[k + 1]) + squares) / entries;
                }
            }
        }

        Tensor content = zeros(1, ScalarType.Float64).squeeze();
        foreach (LayerWeight l in _contentLayers)
        {
            content = content + (contentTerms[l.Layer] * (_settings.ContentWeight * l.Weight));
        }

        Tensor style = zeros(1, ScalarType.Float64).squeeze();
        for (int i = 0; i < _styleTargets.Count; i++)
        {
            Tensor perStyle = zeros(1, ScalarType.Float64).squeeze();
            foreach (LayerWeight l in _styleLayers)
            {
                perStyle = perStyle + (_styleTargets[i][l.Layer].LossFromSums(styleSums[l.Layer], pixels[l.Layer]) * l.Weight);
            }

            style = style + (perStyle * (_settings.StyleWeight * _blend[i]));
        }

        return (content, style);
    }

    private static Tensor Scaled(Tensor sum, Tensor? scale, int degree) => scale is null ? sum : sum * scale.pow(degree);

    // SWAG: the largest value of f / T per layer over the whole image.
    private Dictionary<string, double> Shifts(Tensor image, TileGrid grid)
    {
        var shifts = _layers.ToDictionary(l => l, _ => double.NegativeInfinity, StringComparer.Ordinal);
        _passes.ForEachBlock(image, grid, _layers, (_, inner) =>
        {
            foreach (string layer in _layers)
            {
                shifts[layer] = Math.Max(shifts[layer], inner[layer].max().item<float>() / _temperatures[layer]);
            }
        });
        return shifts;
    }

    // SWAG's temperatures from the content image's features: a multiple of each layer's standard deviation over all
    // its entries (unbiased, as FeatureSmoothers.Temperature), from sums gathered block by block in float64.
    private void Temperatures(Tensor content)
    {
        var sums = _layers.ToDictionary(l => l, _ => (Sum: 0.0, Squares: 0.0, Count: 0.0), StringComparer.Ordinal);
        _passes.ForEachBlock(content, _passes.GridFor(content), _layers, (_, inner) =>
        {
            foreach (string layer in _layers)
            {
                using Tensor wide = inner[layer].to_type(ScalarType.Float64);
                (double s, double q, double n) = sums[layer];
                sums[layer] = (s + wide.sum().item<double>(), q + wide.square().sum().item<double>(), n + wide.numel());
            }
        });

        foreach ((string layer, (double s, double q, double n)) in sums)
        {
            double variance = Math.Max(0, (q - (s * s / n)) / (n - 1));
            _temperatures[layer] = Math.Max(Math.Sqrt(variance) * FeatureSmoothers.TemperatureInStandardDeviations, 1e-6);
        }
    }

    // One style image's targets from its sums gathered block by block (scaled by SWAG's n / Z where it applies).
    private Dictionary<string, ISummedStyleTarget> StyleTargets(Tensor style)
    {
        string[] layers = [.. _styleNames];
        TileGrid grid = _passes.GridFor(style);
        IReadOnlyDictionary<string, double>? shifts = _swag ? Shifts(style, grid) : null;
        using BlockTotals gathered = Gather(style, grid, layers, (_, layer, f) =>
        {
            Tensor e = shifts is null ? f : ((f / _temperatures[layer]) - shifts[layer]).exp();
            // float64 before the products: the target is made once, and its sums should add no float32 error.
            using Tensor wide = e.to_type(ScalarType.Float64);
            return [.. _loss.Sums(wide), .. shifts is null ? Array.Empty<Tensor>() : [wide.sum()]];
        });
        (Dictionary<string, Tensor[]> totals, Dictionary<string, long> pixels, Dictionary<string, long> channels) = gathered;
        var targets = new Dictionary<string, ISummedStyleTarget>(StringComparer.Ordinal);
        foreach (string layer in layers)
        {
            using var scope = NewDisposeScope();
            Tensor[] t = totals[layer];
            Tensor? scale = shifts is null ? null : ((double)pixels[layer] * channels[layer]) / t[^1];
            Tensor[] scaled = [.. _loss.Degrees.Select((d, k) => Scaled(t[k], scale, d))];
            targets[layer] = _loss.TargetFromSums(scaled, pixels[layer]);
        }

        return targets;
    }

    public void Dispose()
    {
        foreach (ISummedStyleTarget t in _styleTargets.SelectMany(d => d.Values))
        {
            t.Dispose();
        }
    }
}
