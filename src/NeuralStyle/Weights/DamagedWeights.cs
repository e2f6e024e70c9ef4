using static TorchSharp.torch;

namespace NeuralStyle.Weights;

/// <summary>
/// Finds values no trained network holds in loaded weights: NaN, infinity, and magnitudes beyond 1e20, which is what a
/// flipped exponent bit makes of an ordinary weight (0.13 becomes 4.4e37); a damaged copy or a bad download does.
/// </summary>
/// <remarks>
/// Checked once when a network is loaded, so that a corrupt file is named with its layer instead of turning every
/// loss of a run into NaN. Trained weights, biases and normalisation statistics stay many orders of magnitude below
/// the bound.
/// </remarks>
internal static class DamagedWeights
{
    /// <summary>The largest magnitude a weight may have.</summary>
    public const double Bound = 1e20;

    /// <summary>
    /// "1 of 36864 values is not finite (NaN at index 17)" or "... is beyond ±1e20 (-4.4E+37 at index 3)", or null when
    /// every value is plausible or the tensor does not hold floating-point values.
    /// </summary>
    public static string? Describe(Tensor values)
    {
        if (!values.is_floating_point() || values.numel() == 0)
        {
            return null;
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor finite = isfinite(values.detach());
        Tensor bad = logical_or(logical_not(finite), values.detach().abs() > Bound).flatten();
        long count = bad.sum().item<long>();
        if (count == 0)
        {
            return null;
        }

        long first = bad.nonzero()[0, 0].item<long>();
        double value = values.detach().flatten()[first].to(ScalarType.Float64).item<double>();
        string kind = double.IsNaN(value) ? "NaN" : double.IsInfinity(value) ? (value > 0 ? "+infinity" : "-infinity") : value.ToString("G3", System.Globalization.CultureInfo.InvariantCulture);
        return $"{count} of {values.numel()} values {(count == 1 ? "is" : "are")} not finite or beyond ±1e20 ({kind} at index {first})";
    }

    /// <summary>The advice that ends every message about non-finite weights.</summary>
    public const string Advice = "the file is corrupt (a damaged copy or an incomplete download); get it again";
}
