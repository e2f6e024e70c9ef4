namespace NeuralStyle.Transfer;

/// <summary>Everything that shapes one optimisation; defaults are the seed's.</summary>
public sealed record StyleTransferSettings
{
    /// <summary>Optimisation steps.</summary>
    public int Iterations { get; init; } = 100;

    /// <summary>Weight of the content term.</summary>
    public double ContentWeight { get; init; } = 5;

    /// <summary>Share of relu4_2 in the content term; relu5_2 gets the rest (1 = the seed: relu4_2 only).</summary>
    public double ContentWeightBlend { get; init; } = 1;

    /// <summary>Weight of the style term.</summary>
    public double StyleWeight { get; init; } = 100;

    /// <summary>Style layer k gets weight exp^k, rescaled so that the weights sum to the number of layers.</summary>
    /// <remarks>
    /// anishathalye/neural-style normalises these weights to sum 1 (and raised its default style weight to 500 to
    /// compensate); summing to the layer count instead keeps the seed's loss unchanged at the default exp = 1.
    /// </remarks>
    public double StyleLayerWeightExp { get; init; } = 1;

    /// <summary>Relative weights of several styles (normalised to sum 1); null = equal.</summary>
    public IReadOnlyList<double>? StyleBlendWeights { get; init; }

    /// <summary>Weight of the total-variation term.</summary>
    public double TvWeight { get; init; } = 100;

    /// <summary>Weight of the total variation of the image's colour alone (Cb and Cr, 0..255 units; see <see cref="Losses.ChromaTotalVariation"/>); 0 (the seed) leaves it out.</summary>
    public double ChromaTvWeight { get; init; }

    /// <summary>Adam's step size.</summary>
    public double LearningRate { get; init; } = 10;

    /// <summary>Adam's first-moment decay.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's second-moment decay.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam's epsilon (TensorFlow form).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Report the losses every this many iterations (and at the last); null = only at the last.</summary>
    public int? PrintIterations { get; init; }

    /// <summary>Evaluate and yield the best image every this many iterations; null = only the final image.</summary>
    public int? CheckpointIterations { get; init; }

    /// <summary>Share of noise in the initial image (null: 0 with an initial image, 1 without, as the seed).</summary>
    public double? InitialNoiseBlend { get; init; }

    /// <summary>Seed for the initial noise; null = nondeterministic.</summary>
    public long? Seed { get; init; }

    /// <summary>Content layers and weights, replacing the backbone's defaults (and the blend) when given.</summary>
    public IReadOnlyList<LayerWeight>? ContentLayers { get; init; }

    /// <summary>Style layers and weights, replacing the backbone's defaults (and the exponent) when given.</summary>
    public IReadOnlyList<LayerWeight>? StyleLayers { get; init; }

    /// <summary>The optimiser: the seed's Adam, or L-BFGS.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>L-BFGS: correction pairs kept (each pair is two image-sized tensors).</summary>
    public int LbfgsHistory { get; init; } = 100;

    /// <summary>L-BFGS: use a strong-Wolfe line search (more evaluations per iteration, steadier steps).</summary>
    public bool LbfgsStrongWolfe { get; init; }

    /// <summary>Decay of an exponential moving average of the image (e.g. 0.99); when set, images written are the bias-corrected average. Null = off.</summary>
    public double? AverageDecay { get; init; }

    /// <summary>How style statistics are compared: the seed's Gram matrices, or mean/std, Wasserstein-2 or sliced Wasserstein.</summary>
    public Losses.StyleLossKind StyleLoss { get; init; } = Losses.StyleLossKind.Gram;

    /// <summary>Activation smoothing; null = the backbone's default.</summary>
    public FeatureSmoothing? Smoothing { get; init; }

    /// <summary>What the optimiser changes: pixels (the seed), Fourier coefficients or pyramid levels.</summary>
    public Parameterizations.ImageParameterization Parameterization { get; init; } = Parameterizations.ImageParameterization.Pixel;

    /// <summary>Optimise in decorrelated colour coordinates (the square root of the content's and styles' colour covariance) instead of the network's channels.</summary>
    public bool DecorrelateColors { get; init; }

    /// <summary>Random jitter, scale and rotation of the image before the network at every iteration; none by default (the seed).</summary>
    public Robustness.TransformRobustness Robustness { get; init; } = NeuralStyle.Transfer.Robustness.TransformRobustness.None;

    /// <summary>The backbone's arithmetic: float32 (the seed), bfloat16 where allowed, or auto (see <see cref="PrecisionChoice"/>); the losses and the optimiser stay float32.</summary>
    public ComputePrecision Precision { get; init; } = ComputePrecision.Float32;

    /// <summary>
    /// Evaluate images whose longer side exceeds this many pixels block by block, exactly (see
    /// <see cref="Tiling.TiledLosses"/>); null evaluates every image whole. The blocks' inner side is this, rounded down
    /// to the network's largest stride, and each block adds the margin its receptive field needs.
    /// </summary>
    public int? TileSize { get; init; }

    /// <summary>The smallest tile accepted, in pixels.</summary>
    public const int MinTileSize = 32;

    /// <summary>Content layers and their weights before <see cref="ContentWeight"/>.</summary>
    /// <remarks>Without an explicit list: the backbone's main content layer, blended with its second one (the seed's relu4_2 / relu5_2).</remarks>
    public IReadOnlyList<LayerWeight> ContentLayerWeights(BackboneDefaults defaults)
    {
        if (ContentLayers is not null)
        {
            return ContentLayers;
        }

        if (ContentWeightBlend == 1 || defaults.ContentLayers.Count < 2)
        {
            return [new LayerWeight(defaults.ContentLayers[0], 1.0)];
        }

        return [new LayerWeight(defaults.ContentLayers[0], ContentWeightBlend), new LayerWeight(defaults.ContentLayers[1], 1 - ContentWeightBlend)];
    }

    /// <summary>Style layers and their weights; without an explicit list, exp^k rescaled to sum to the layer count.</summary>
    public IReadOnlyList<LayerWeight> StyleLayerWeights(BackboneDefaults defaults)
    {
        if (StyleLayers is not null)
        {
            return StyleLayers;
        }

        // Above 1 the powers are taken relative to the largest, exp^(n-1), so that a large exponent cannot overflow
        // float64 (an infinite sum would make every weight NaN); the ratios, and so the rescaled weights, are the same.
        int top = StyleLayerWeightExp > 1 ? defaults.StyleLayers.Count - 1 : 0;
        var raw = defaults.StyleLayers.Select((layer, k) => (layer, Math.Pow(StyleLayerWeightExp, k - top))).ToList();
        double sum = raw.Sum(r => r.Item2);
        return [.. raw.Select(r => new LayerWeight(r.layer, r.Item2 * raw.Count / sum))];
    }

    /// <summary>Image-sized tensors the optimiser keeps besides the image (for memory estimates).</summary>
    public int OptimizerImageCopies => Optimizer == OptimizerKind.Adam ? 2 : (2 * LbfgsHistory) + 2 + (LbfgsStrongWolfe ? 1 : 0);

    /// <summary>Every layer the losses read.</summary>
    public IReadOnlyList<string> LayersInUse(BackboneDefaults defaults) =>
        [.. ContentLayerWeights(defaults).Concat(StyleLayerWeights(defaults)).Select(l => l.Layer).Distinct()];

    /// <summary>Blend weights for <paramref name="styleCount"/> styles, normalised to sum 1.</summary>
    public IReadOnlyList<double> NormalisedBlendWeights(int styleCount)
    {
        if (StyleBlendWeights is null)
        {
            return [.. Enumerable.Repeat(1.0 / styleCount, styleCount)];
        }

        if (StyleBlendWeights.Count != styleCount)
        {
            throw new ArgumentException($"{StyleBlendWeights.Count} style blend weights for {styleCount} styles");
        }

        double total = StyleBlendWeights.Sum();
        return [.. StyleBlendWeights.Select(w => w / total)];
    }

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason when a value makes no sense.</summary>
    /// <remarks>The ranges are <see cref="SettingLimits"/>'s: NaN and infinities are refused everywhere, weights and step sizes must also fit float32.</remarks>
    public void Validate()
    {
        if (Iterations <= 0)
        {
            throw new ArgumentException($"iterations must be positive (got {Iterations})");
        }

        if (PrintIterations is <= 0)
        {
            throw new ArgumentException($"print iterations must be positive (got {PrintIterations})");
        }

        if (CheckpointIterations is <= 0)
        {
            throw new ArgumentException($"checkpoint iterations must be positive (got {CheckpointIterations})");
        }

        if (LbfgsHistory <= 0)
        {
            throw new ArgumentException($"L-BFGS history must be positive (got {LbfgsHistory})");
        }

        if (TileSize is int tile && tile < MinTileSize)
        {
            throw new ArgumentException($"the tile size must be at least {MinTileSize} pixels (got {tile})");
        }

        if (ContentLayers is { Count: 0 } || StyleLayers is { Count: 0 })
        {
            throw new ArgumentException("content and style layer lists must not be empty");
        }

        if (NumberProblems().FirstOrDefault(reason => reason is not null) is string problem)
        {
            throw new ArgumentException(problem);
        }
    }

    // Every floating-point setting against its range, in the order of the properties; null where a value is fine.
    private IEnumerable<string?> NumberProblems()
    {
        yield return SettingLimits.Weight("content weight", ContentWeight);
        yield return SettingLimits.Fraction("content weight blend", ContentWeightBlend);
        yield return SettingLimits.Weight("style weight", StyleWeight);
        yield return SettingLimits.Positive("style layer weight exponent", StyleLayerWeightExp);
        foreach (double blend in StyleBlendWeights ?? [])
        {
            yield return SettingLimits.Weight("style blend weight", blend);
        }

        if (StyleBlendWeights is not null && !(StyleBlendWeights.Sum() > 0))
        {
            yield return "style blend weights must have a positive sum";
        }

        yield return SettingLimits.Weight("TV weight", TvWeight);
        yield return SettingLimits.Weight("chroma TV weight", ChromaTvWeight);
        yield return SettingLimits.PositiveFloat32("learning rate", LearningRate);
        yield return SettingLimits.Fraction("beta1", Beta1, openAtOne: true);
        yield return SettingLimits.Fraction("beta2", Beta2, openAtOne: true);
        yield return SettingLimits.PositiveFloat32("epsilon", Epsilon);
        if (InitialNoiseBlend is double noise)
        {
            yield return SettingLimits.Fraction("initial noise blend", noise);
        }

        foreach (LayerWeight layer in (ContentLayers ?? []).Concat(StyleLayers ?? []))
        {
            yield return SettingLimits.Weight($"weight of layer {layer.Layer}", layer.Weight);
        }

        foreach (string problem in Robustness.Problems())
        {
            yield return problem;
        }

        if (AverageDecay is double decay)
        {
            yield return SettingLimits.Fraction("the average's decay", decay, openAtZero: true, openAtOne: true);
        }
    }
}
