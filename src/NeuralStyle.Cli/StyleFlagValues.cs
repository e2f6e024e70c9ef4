using System.Globalization;
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

        if (scales is not null && scales.Any(s => !(s > 0)))
        {
            throw new UsageException("--style-scales must be positive");
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

            return double.TryParse(v[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double w) && w >= 0 && colon > 0
                ? new LayerWeight(v[..colon], w)
                : throw new UsageException($"{flag}: '{v}' is not LAYER or LAYER:WEIGHT with a non-negative weight");
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
