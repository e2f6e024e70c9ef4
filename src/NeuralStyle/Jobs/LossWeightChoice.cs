using NeuralStyle.Transfer;

namespace NeuralStyle.Jobs;

/// <summary>The loss weights the user gave; the rest come from the backbone once it is known.</summary>
public sealed record LossWeightChoice(double? Content, double? Style, double? Tv, double? LearningRate)
{
    /// <summary>Nothing chosen: the backbone's weights for all.</summary>
    public static LossWeightChoice Backbone { get; } = new(null, null, null, null);

    /// <summary>The settings with the chosen weights, the backbone's <paramref name="defaults"/> elsewhere.</summary>
    public StyleTransferSettings ApplyTo(StyleTransferSettings settings, LossWeights defaults) => settings with
    {
        ContentWeight = Content ?? defaults.Content,
        StyleWeight = Style ?? defaults.Style,
        TvWeight = Tv ?? defaults.Tv,
        LearningRate = LearningRate ?? defaults.LearningRate,
    };

    /// <summary>The first chosen value out of its range (see <see cref="SettingLimits"/>), as a one-line reason; null when all are fine.</summary>
    public string? Problem() =>
        (Content is double content ? SettingLimits.Weight("content weight", content) : null)
        ?? (Style is double style ? SettingLimits.Weight("style weight", style) : null)
        ?? (Tv is double tv ? SettingLimits.Weight("TV weight", tv) : null)
        ?? (LearningRate is double rate ? SettingLimits.PositiveFloat32("learning rate", rate) : null);
}
