using System.Globalization;

namespace NeuralStyle.Transfer;

/// <summary>
/// The ranges numeric settings must lie in, as one-line reasons naming the value (null when it is fine). Shared by
/// <see cref="StyleTransferSettings.Validate"/> and by front ends, which pass their own name for the value (a flag).
/// </summary>
/// <remarks>
/// NaN passes every comparison that is false, so each rule is written as "the value is inside", never as "the value
/// is outside": a NaN is then refused by every rule. The engine computes in float32, so a weight or a step size whose
/// float32 value is infinite (beyond about 3.4e38) can never give a finite loss, and a positive one whose float32
/// value is 0 (below about 1.4e-45) is no longer positive: both are refused here. Finite values below that bound can
/// still overflow the loss of a particular run; that is found while running, not here.
/// </remarks>
public static class SettingLimits
{
    /// <summary>A loss weight: finite, not negative, finite in float32.</summary>
    public static string? Weight(string name, double value) => NonNegative(name, value) ?? FitsFloat32(name, value);

    /// <summary>A step size or Adam's epsilon: finite, positive, and still positive and finite in float32.</summary>
    public static string? PositiveFloat32(string name, double value) => Positive(name, value) ?? FitsFloat32(name, value);

    /// <summary>Finite and greater than 0 (computed in float64, such as a scale or an exponent).</summary>
    public static string? Positive(string name, double value) =>
        Finite(name, value) ?? (value > 0 ? null : $"{name} must be positive (got {Show(value)})");

    /// <summary>Finite and at least 0.</summary>
    public static string? NonNegative(string name, double value) =>
        Finite(name, value) ?? (value >= 0 ? null : $"{name} must not be negative (got {Show(value)})");

    /// <summary>Within [0, 1], or with <paramref name="openAtZero"/> / <paramref name="openAtOne"/> excluding that end.</summary>
    public static string? Fraction(string name, double value, bool openAtZero = false, bool openAtOne = false)
    {
        bool inside = (openAtZero ? value > 0 : value >= 0) && (openAtOne ? value < 1 : value <= 1);
        return inside ? null : $"{name} must be within {(openAtZero ? '(' : '[')}0, 1{(openAtOne ? ')' : ']')} (got {Show(value)})";
    }

    /// <summary>Not NaN and not infinite.</summary>
    public static string? Finite(string name, double value) =>
        double.IsFinite(value) ? null : $"{name} must be a finite number (got {Show(value)})";

    /// <summary>Neither infinite nor (when not 0) rounded to 0 when the engine converts it to float32.</summary>
    public static string? FitsFloat32(string name, double value)
    {
        float single = (float)value;
        if (float.IsInfinity(single))
        {
            return $"{name} {Show(value)} is too large: the engine computes in 32-bit floats, where it is infinite (the largest is 3.4e38)";
        }

        return value != 0 && single == 0
            ? $"{name} {Show(value)} is too small: the engine computes in 32-bit floats, where it is 0 (the smallest is 1.4e-45)"
            : null;
    }

    // Round-trip digits with a lower-case exponent, as the user (and C's %g) writes it: 1e+300, not 1E+300.
    private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture).Replace('E', 'e');
}
