using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace NeuralStyle.Cli;

/// <summary>
/// Parsers for the numeric options of every command that report a bad value in the user's words
/// (<c>--iterations expects a whole number, got 'ten'</c>); System.CommandLine's own message names the .NET type
/// (<c>System.Nullable`1[System.Int32]</c>).
/// </summary>
/// <remarks>
/// Installed on the whole command tree after it is built (<see cref="Apply"/>), so an option added later gets them
/// without a line of its own; a numeric type not handled here is caught by the test that feeds every option a bad
/// value. Ranges (positive, finite, ...) are checked after parsing, where the values are known.
/// </remarks>
internal static class NumberParsers
{
    /// <summary>Gives every numeric option of <paramref name="command"/> and of its subcommands a parser in the user's words.</summary>
    public static void Apply(Command command)
    {
        foreach (Option option in command.Options)
        {
            switch (option)
            {
                case Option<int> o:
                    o.CustomParser = r => Single(r, o.Name, Whole<int>);
                    break;
                case Option<int?> o:
                    o.CustomParser = r => Single(r, o.Name, Whole<int>);
                    break;
                case Option<long> o:
                    o.CustomParser = r => Single(r, o.Name, Whole<long>);
                    break;
                case Option<long?> o:
                    o.CustomParser = r => Single(r, o.Name, Whole<long>);
                    break;
                case Option<double> o:
                    o.CustomParser = r => Single(r, o.Name, Real);
                    break;
                case Option<double?> o:
                    o.CustomParser = r => Single(r, o.Name, Real);
                    break;
                case Option<double[]> o:
                    o.CustomParser = r => Many(r, o.Name, Real);
                    break;
            }
        }

        foreach (Command subcommand in command.Subcommands)
        {
            Apply(subcommand);
        }
    }

    // The value, or the reason it is not one (phrased to follow "--flag expects ...").
    private delegate T Convert<T>(string text, out string? expected);

    private static T Single<T>(ArgumentResult result, string name, Convert<T> convert)
        where T : struct
    {
        // Without a token System.CommandLine has already reported the missing value.
        if (result.Tokens.Count == 0)
        {
            return default;
        }

        string text = result.Tokens[^1].Value;
        T value = convert(text, out string? expected);
        if (expected is not null)
        {
            result.AddError($"{name} expects {expected}, got '{text}'");
        }

        return value;
    }

    private static T[] Many<T>(ArgumentResult result, string name, Convert<T> convert)
        where T : struct
    {
        var values = new T[result.Tokens.Count];
        for (int i = 0; i < values.Length; i++)
        {
            string text = result.Tokens[i].Value;
            values[i] = convert(text, out string? expected);
            if (expected is not null)
            {
                result.AddError($"{name} expects {expected}, got '{text}'");
                return [];
            }
        }

        return values;
    }

    private static T Whole<T>(string text, out string? expected)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out T value))
        {
            expected = null;
            return value;
        }

        // Digits that do not fit are still a whole number: say where the range ends.
        string unsigned = text.TrimStart('+', '-');
        bool digits = unsigned.Length > 0 && unsigned.All(char.IsAsciiDigit);
        expected = !digits ? "a whole number" : text.StartsWith('-') ? $"a whole number from {T.MinValue}" : $"a whole number up to {T.MaxValue}";
        return T.Zero;
    }

    /// <summary>
    /// A number as the user may write it: decimal and exponent forms, NaN and Infinity in any case, and Python's inf
    /// (the seed's argparse takes it); the range checks after parsing then say that such a value is not finite,
    /// rather than that it is not a number.
    /// </summary>
    public static bool TryParseNumber(string text, out double value)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        value = text.ToUpperInvariant() switch
        {
            "INF" or "+INF" => double.PositiveInfinity,
            "-INF" => double.NegativeInfinity,
            _ => 0,
        };
        return value != 0;
    }

    private static double Real(string text, out string? expected)
    {
        bool parsed = TryParseNumber(text, out double value);
        expected = parsed ? null : "a number";
        return value;
    }
}
