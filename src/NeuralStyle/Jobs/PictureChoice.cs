using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Parameterizations;
using NeuralStyle.Transfer.Robustness;

namespace NeuralStyle.Jobs;

/// <summary>
/// The picture settings the user chose (parameterisation, colour decorrelation, each transform, chroma TV); each one
/// left null is the backbone's (<see cref="BackboneDefaults.EffectivePicture"/>), known once the network is loaded.
/// </summary>
/// <remarks>
/// The transforms are chosen one by one (<c>--jitter 2</c> alone keeps the backbone's scale range and rotation), hence
/// four values rather than one <see cref="TransformRobustness"/>. A front end fills in the seed's values for
/// <c>--recipe seed</c> (<see cref="Seed"/>), so the recipe needs no place here. A run records the choice resolved
/// (every value set): its manifest and a resume then keep the values it ran with, even if the backbone's defaults
/// change later.
/// </remarks>
/// <param name="Parameterization">What the optimiser changes.</param>
/// <param name="DecorrelateColors">Optimise in whitened colour coordinates.</param>
/// <param name="JitterPixels">Largest shift (<see cref="TransformRobustness.JitterPixels"/>).</param>
/// <param name="ScaleMin">Smallest scale factor.</param>
/// <param name="ScaleMax">Largest scale factor.</param>
/// <param name="RotationDegrees">Largest rotation either way.</param>
/// <param name="ChromaTvWeight">Weight of the total variation of the image's colour alone.</param>
public sealed record PictureChoice(
    ImageParameterization? Parameterization,
    bool? DecorrelateColors,
    double? JitterPixels,
    double? ScaleMin,
    double? ScaleMax,
    double? RotationDegrees,
    double? ChromaTvWeight)
{
    /// <summary>Nothing chosen: the backbone's defaults for all.</summary>
    public static PictureChoice Backbone { get; } = new(null, null, null, null, null, null, null);

    /// <summary>The seed's values, chosen explicitly (what <c>--recipe seed</c> gives).</summary>
    public static PictureChoice Seed { get; } = Of(PictureDefaults.Seed);

    /// <summary>Every value set, from <paramref name="picture"/>.</summary>
    public static PictureChoice Of(PictureDefaults picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        TransformRobustness r = picture.Robustness;
        return new(picture.Parameterization, picture.DecorrelateColors, r.JitterPixels, r.ScaleMin, r.ScaleMax, r.RotationDegrees, picture.ChromaTvWeight);
    }

    /// <summary>The values chosen, the backbone's <paramref name="defaults"/> for the rest.</summary>
    public PictureDefaults Resolve(PictureDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        TransformRobustness r = defaults.Robustness;
        return new(
            Parameterization ?? defaults.Parameterization,
            DecorrelateColors ?? defaults.DecorrelateColors,
            new TransformRobustness(JitterPixels ?? r.JitterPixels, ScaleMin ?? r.ScaleMin, ScaleMax ?? r.ScaleMax, RotationDegrees ?? r.RotationDegrees),
            ChromaTvWeight ?? defaults.ChromaTvWeight);
    }

    /// <summary>The settings with the chosen values, the backbone's <paramref name="defaults"/> elsewhere.</summary>
    public StyleTransferSettings ApplyTo(StyleTransferSettings settings, PictureDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(settings);
        PictureDefaults resolved = Resolve(defaults);
        return settings with
        {
            Parameterization = resolved.Parameterization,
            DecorrelateColors = resolved.DecorrelateColors,
            Robustness = resolved.Robustness,
            ChromaTvWeight = resolved.ChromaTvWeight,
        };
    }

    /// <summary>The first chosen value out of its range, as a one-line reason; null when all are fine.</summary>
    /// <remarks>One end of the scale range alone is checked as if it were both (the other comes from the backbone, checked with the settings).</remarks>
    public string? Problem()
    {
        if (Parameterization is ImageParameterization p && !Enum.IsDefined(p))
        {
            return $"parameterization {p} is not one of {string.Join(", ", Enum.GetNames<ImageParameterization>())}";
        }

        var given = new TransformRobustness(JitterPixels ?? 0, ScaleMin ?? ScaleMax ?? 1, ScaleMax ?? ScaleMin ?? 1, RotationDegrees ?? 0);
        return (ChromaTvWeight is double chroma ? SettingLimits.Weight("chroma TV weight", chroma) : null) ?? given.Problems().FirstOrDefault();
    }
}
