namespace NeuralStyle.Transfer;

/// <summary>The layers a backbone uses when the user names none, the smoothing it needs, its loss weights and how its pictures are made.</summary>
/// <param name="ContentLayers">The main content layer first; a second one is what the seed's content blend mixes in.</param>
/// <param name="StyleLayers">Style layers, shallow to deep (the order the layer-weight exponent counts in).</param>
/// <param name="Smoothing">Activation smoothing suited to the backbone (none for VGG).</param>
/// <param name="Weights">Loss weights and step size that suit the backbone's activation scale (null: the seed's).</param>
/// <param name="Picture">Parameterisation, colour decorrelation, transforms and chroma TV that suit the backbone (null: the seed's).</param>
public sealed record BackboneDefaults(
    IReadOnlyList<string> ContentLayers,
    IReadOnlyList<string> StyleLayers,
    FeatureSmoothing Smoothing = FeatureSmoothing.None,
    LossWeights? Weights = null,
    PictureDefaults? Picture = null)
{
    /// <summary>The seed's VGG layers: content relu4_2 (blend partner relu5_2), style relu1_1 .. relu5_1.</summary>
    public static BackboneDefaults Vgg { get; } = new(["relu4_2", "relu5_2"], ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]);

    /// <summary>The weights to use when the user gives none.</summary>
    public LossWeights EffectiveWeights => Weights ?? LossWeights.Seed;

    /// <summary>How pictures are made when the user does not say (and the recipe is not the seed's).</summary>
    public PictureDefaults EffectivePicture => Picture ?? PictureDefaults.Seed;
}
