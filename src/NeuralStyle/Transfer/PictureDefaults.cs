using NeuralStyle.Transfer.Parameterizations;
using NeuralStyle.Transfer.Robustness;

namespace NeuralStyle.Transfer;

/// <summary>How a backbone's pictures are made when the user does not say: the image's parameterisation, colour decorrelation, transformation robustness and chroma TV.</summary>
/// <remarks>
/// These change what the picture looks like, not the objective's scale, so they are kept apart from
/// <see cref="LossWeights"/>: a backbone that paints colour speckle or its stride grid with pixels (issue 12) can
/// default to a parameterisation and transforms that avoid it, while VGG keeps the seed's.
/// </remarks>
/// <param name="Parameterization">What the optimiser changes.</param>
/// <param name="DecorrelateColors">Optimise in whitened colour coordinates.</param>
/// <param name="Robustness">Random jitter, scale and rotation before the network at each iteration.</param>
/// <param name="ChromaTvWeight">Weight of the total variation of the image's colour alone.</param>
public sealed record PictureDefaults(ImageParameterization Parameterization, bool DecorrelateColors, TransformRobustness Robustness, double ChromaTvWeight)
{
    /// <summary>The seed's: pixels, the network's own colour channels, no transforms, no chroma TV.</summary>
    public static PictureDefaults Seed { get; } = new(ImageParameterization.Pixel, false, TransformRobustness.None, 0);
}
