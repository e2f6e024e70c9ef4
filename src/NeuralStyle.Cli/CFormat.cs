using System.Globalization;

namespace NeuralStyle.Cli;

/// <summary>C's printf <c>%g</c> (precision 6), which the seed's console lines use and scripts parse.</summary>
internal static class CFormat
{
    /// <summary>Formats like C's <c>printf("%g", value)</c>.</summary>
    public static string G(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        const int precision = 6;
        // The exponent is decided after rounding to six significant digits, as C does (999999.5 -> 1e+06).
        string scientific = value.ToString("E" + (precision - 1), CultureInfo.InvariantCulture);
        int exponent = int.Parse(scientific.AsSpan(scientific.IndexOf('E') + 1), CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= precision)
        {
            string mantissa = TrimZeros(scientific[..scientific.IndexOf('E')]);
            return $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        string fixedPoint = value.ToString("F" + (precision - 1 - exponent), CultureInfo.InvariantCulture);
        return TrimZeros(fixedPoint);
    }

    private static string TrimZeros(string number) =>
        number.Contains('.') ? number.TrimEnd('0').TrimEnd('.') : number;
}
