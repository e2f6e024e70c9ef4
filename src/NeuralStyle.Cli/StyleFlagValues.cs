using NeuralStyle.Jobs;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Losses;

namespace NeuralStyle.Cli;

/// <summary>Checks and conversions of single flag values, for <see cref="StyleCommandLine"/>.</summary>
internal static class StyleFlagValues
{
    public static void CheckLists(int styles, double[]? scales, double[]? blends)
    {
        if (scales is not null && scales.Length != styles)
        {
            throw new UsageException($"--style-scales has {scales.Length} values for {styles} style images");
        }

        if (blends is not null && blends.Length != styles)
        {
            throw new UsageException($"--style-blend-weights has {blends.Length} values for {styles} style images");
        }

        foreach (double scale in scales ?? [])
        {
            Require(SettingLimits.Positive("--style-scales", scale));
        }
    }

    /// <summary>
    /// Every floating-point flag against its range (<see cref="SettingLimits"/>: finite, weights not negative and
    /// finite in float32, fractions within their interval), named by its flag; the library checks the same again.
    /// </summary>
    public static void CheckRanges(StyleTransferSettings settings, LossWeightChoice weights)
    {
        foreach (string? problem in RangeProblems(settings, weights))
        {
            Require(problem);
        }
    }

    private static IEnumerable<string?> RangeProblems(StyleTransferSettings settings, LossWeightChoice weights)
    {
        yield return weights.Content is double content ? SettingLimits.Weight("--content-weight", content) : null;
        yield return SettingLimits.Fraction("--content-weight-blend", settings.ContentWeightBlend);
        yield return weights.Style is double style ? SettingLimits.Weight("--style-weight", style) : null;
        yield return SettingLimits.Positive("--style-layer-weight-exp", settings.StyleLayerWeightExp);
        foreach (double blend in settings.StyleBlendWeights ?? [])
        {
            yield return SettingLimits.Weight("--style-blend-weights", blend);
        }

        if (settings.StyleBlendWeights is { } blends && blends.All(b => b == 0))
        {
            yield return "--style-blend-weights must not all be 0";
        }

        yield return weights.Tv is double tv ? SettingLimits.Weight("--tv-weight", tv) : null;
        yield return weights.LearningRate is double rate ? SettingLimits.PositiveFloat32("--learning-rate", rate) : null;
        yield return SettingLimits.Fraction("--beta1", settings.Beta1, openAtOne: true);
        yield return SettingLimits.Fraction("--beta2", settings.Beta2, openAtOne: true);
        yield return SettingLimits.PositiveFloat32("--epsilon", settings.Epsilon);
        yield return settings.InitialNoiseBlend is double noise ? SettingLimits.Fraction("--initial-noiseblend", noise) : null;
        yield return settings.AverageDecay is double decay ? SettingLimits.Fraction("--average", decay, openAtZero: true, openAtOne: true) : null;
    }

    /// <summary>Throws <paramref name="problem"/> as a usage error unless it is null.</summary>
    public static void Require(string? problem)
    {
        if (problem is not null)
        {
            throw new UsageException(problem);
        }
    }

    public static StyleLossKind StyleLossOf(string? name) => name switch
    {
        "meanstd" => StyleLossKind.MeanStd,
        "w2" => StyleLossKind.Wasserstein2,
        "sliced" => StyleLossKind.Sliced,
        _ => StyleLossKind.Gram,
    };

    // "relu3_1" or "relu3_1:0.5"; the weight defaults to 1.
    public static IReadOnlyList<LayerWeight>? LayerList(string flag, string[]? values)
    {
        if (values is not { Length: > 0 })
        {
            return null;
        }

        return [.. values.Select(v =>
        {
            int colon = v.LastIndexOf(':');
            if (colon < 0)
            {
                return new LayerWeight(v, 1);
            }

            if (!NumberParsers.TryParseNumber(v[(colon + 1)..], out double w) || colon == 0)
            {
                throw new UsageException($"{flag}: '{v}' is not LAYER or LAYER:WEIGHT with a number as the weight");
            }

            Require(SettingLimits.Weight($"{flag}: the weight of {v[..colon]}", w));
            return new LayerWeight(v[..colon], w);
        })];
    }

    public static void Positive(string name, int? value)
    {
        if (value is <= 0)
        {
            throw new UsageException($"{name} must be a positive integer (got {value})");
        }
    }

    public static T[]? NullIfEmpty<T>(T[]? values) => values is { Length: > 0 } ? values : null;
}
