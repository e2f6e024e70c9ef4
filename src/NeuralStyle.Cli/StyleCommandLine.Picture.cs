using System.CommandLine;
using NeuralStyle.Jobs;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Parameterizations;
using NeuralStyle.Transfer.Robustness;

namespace NeuralStyle.Cli;

/// <summary>
/// The flags that shape how the picture is made (issue 12): parameterisation, colour decorrelation, transforms and
/// chroma TV. Each one not given is, in this order: the recorded run's (with --resume), the seed's (with
/// --recipe seed), or the backbone's (<see cref="BackboneDefaults.EffectivePicture"/>, resolved by the job).
/// </summary>
internal sealed partial class StyleCommandLine
{
    private readonly Option<double?> _chromaTvWeight = Optional<double?>("--chroma-tv-weight", "total variation of the image's colour alone (Cb, Cr in 0..255 units): removes colour speckle without smoothing the style's texture (default: 0 (off, as the seed), or the backbone's own)", "WEIGHT");
    private readonly Option<string?> _parameterization = Optional<string?>("--parameterization", "what the optimiser changes: pixel (the seed), fourier (2-D real Fourier coefficients scaled by 1/frequency) or pyramid (Laplacian pyramid levels) (default: pixel, or the backbone's own)", "KIND");
    // A string, not a bool: System.CommandLine gives a bool option only the tokens true and false, and on/off is how
    // the manifest and the resume check write switches.
    private readonly Option<string?> _decorrelateColors = new("--decorrelate-colors")
    {
        Description = "optimise in colour coordinates whitened by the square root of the content's and styles' pooled colour covariance; alone it means on (default: off, or the backbone's own)",
        HelpName = "on|off",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<double?> _jitter = Optional<double?>("--jitter", "largest random shift of the image before the network at each iteration, in pixels (default: 0, or the backbone's own)", "PX");
    private readonly Option<double[]> _scaleRange = Many<double>("--scale-range", "random scale factor of the image before the network at each iteration, between MIN and MAX (default: 1 1, or the backbone's own)", "MIN MAX");
    private readonly Option<double?> _rotation = Optional<double?>("--rotation", "largest random rotation of the image before the network at each iteration, either way, in degrees (default: 0, or the backbone's own)", "DEG");

    // The picture settings given now, else as described on the class.
    private PictureChoice Picture(ParseResult result, StyleJobSpec? resumed, bool recipeGiven, bool seedRecipe)
    {
        bool Given(Option option) => result.GetResult(option) is { Implicit: false };
        PictureChoice fallback = resumed is not null && !recipeGiven ? Recorded(resumed) : seedRecipe ? PictureChoice.Seed : PictureChoice.Backbone;

        double? scaleMin = fallback.ScaleMin, scaleMax = fallback.ScaleMax;
        if (Given(_scaleRange))
        {
            double[] range = result.GetValue(_scaleRange) ?? [];
            if (range.Length != 2)
            {
                throw new UsageException($"--scale-range takes two numbers, MIN MAX (got {range.Length})");
            }

            (scaleMin, scaleMax) = (range[0], range[1]);
        }

        var picture = new PictureChoice(
            Given(_parameterization) ? ParameterizationOf(result.GetValue(_parameterization)) : fallback.Parameterization,
            Given(_decorrelateColors) ? result.GetValue(_decorrelateColors) != "off" : fallback.DecorrelateColors,
            Given(_jitter) ? result.GetValue(_jitter) : fallback.JitterPixels,
            scaleMin,
            scaleMax,
            Given(_rotation) ? result.GetValue(_rotation) : fallback.RotationDegrees,
            Given(_chromaTvWeight) ? result.GetValue(_chromaTvWeight) : fallback.ChromaTvWeight);
        CheckRanges(picture);
        return picture;
    }

    // A manifest written before these settings were recorded has Picture null or partly null: the run used the
    // values in its settings (the seed's, but for a chroma TV weight given then).
    private static PictureChoice Recorded(StyleJobSpec resumed)
    {
        PictureChoice recorded = resumed.Picture ?? PictureChoice.Backbone;
        PictureChoice settings = PictureChoice.Of(new PictureDefaults(resumed.Settings.Parameterization, resumed.Settings.DecorrelateColors, resumed.Settings.Robustness, resumed.Settings.ChromaTvWeight));
        return new PictureChoice(
            recorded.Parameterization ?? settings.Parameterization,
            recorded.DecorrelateColors ?? settings.DecorrelateColors,
            recorded.JitterPixels ?? settings.JitterPixels,
            recorded.ScaleMin ?? settings.ScaleMin,
            recorded.ScaleMax ?? settings.ScaleMax,
            recorded.RotationDegrees ?? settings.RotationDegrees,
            recorded.ChromaTvWeight ?? settings.ChromaTvWeight);
    }

    // Each value given against its range, named by its flag; an end of the scale range alone cannot come from a flag.
    private static void CheckRanges(PictureChoice picture)
    {
        StyleFlagValues.Require(picture.ChromaTvWeight is double chroma ? SettingLimits.Weight("--chroma-tv-weight", chroma) : null);
        var given = new TransformRobustness(picture.JitterPixels ?? 0, picture.ScaleMin ?? 1, picture.ScaleMax ?? 1, picture.RotationDegrees ?? 0);
        StyleFlagValues.Require(given.Problems("--jitter", "--scale-range", "--rotation").FirstOrDefault());
    }

    private static ImageParameterization? ParameterizationOf(string? name) => name switch
    {
        "pixel" => ImageParameterization.Pixel,
        "fourier" => ImageParameterization.Fourier,
        "pyramid" => ImageParameterization.Pyramid,
        _ => null,
    };

}
