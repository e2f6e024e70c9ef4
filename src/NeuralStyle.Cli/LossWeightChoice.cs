using NeuralStyle.Transfer;

namespace NeuralStyle.Cli;

/// <summary>The loss weights the user gave; the rest come from the backbone once it is known.</summary>
internal sealed record LossWeightChoice(double? Content, double? Style, double? Tv, double? LearningRate)
{
    public StyleTransferSettings ApplyTo(StyleTransferSettings settings, LossWeights defaults) => settings with
    {
        ContentWeight = Content ?? defaults.Content,
        StyleWeight = Style ?? defaults.Style,
        TvWeight = Tv ?? defaults.Tv,
        LearningRate = LearningRate ?? defaults.LearningRate,
    };
}
