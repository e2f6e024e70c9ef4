using static TorchSharp.torch;

namespace NeuralStyle.Weights;

/// <summary>Finds NaN and infinity in loaded weights, which no trained network holds: a flipped bit or a bad download does.</summary>
/// <remarks>
/// Checked once when a network is loaded, so that a corrupt file is named with its layer instead of turning every
/// loss of a run into NaN.
/// </remarks>
internal static class NonFiniteValues
{
    /// <summary>
    /// "1 of 36864 values is not finite (NaN at index 17)", or null when every value is finite or the tensor does not
    /// hold floating-point values.
    /// </summary>
    public static string? Describe(Tensor values)
    {
        if (!values.is_floating_point() || values.numel() == 0)
        {
            return null;
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor bad = logical_not(isfinite(values.detach())).flatten();
        long count = bad.sum().item<long>();
        if (count == 0)
        {
            return null;
        }

        long first = bad.nonzero()[0, 0].item<long>();
        double value = values.detach().flatten()[first].to(ScalarType.Float64).item<double>();
        string kind = double.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";
        return $"{count} of {values.numel()} values {(count == 1 ? "is" : "are")} not finite ({kind} at index {first})";
    }

    /// <summary>The advice that ends every message about non-finite weights.</summary>
    public const string Advice = "the file is corrupt (a damaged copy or an incomplete download); get it again";
}
