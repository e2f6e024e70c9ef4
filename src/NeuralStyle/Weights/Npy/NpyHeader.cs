using System.Globalization;

namespace NeuralStyle.Weights.Npy;

/// <summary>The header dictionary of a .npy file: descr, fortran_order and shape.</summary>
internal sealed record NpyHeader(string Descr, bool FortranOrder, long[] Shape)
{
    /// <summary>
    /// Parses the Python literal numpy writes, for example <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>.
    /// Only the literal forms numpy produces are accepted (strings, True/False, tuples of integers); anything else is an error.
    /// </summary>
    /// <exception cref="FormatException">The text is not such a dictionary; the message says where and why.</exception>
    public static NpyHeader Parse(string text)
    {
        var parser = new Parser(text);
        Dictionary<string, object> entries = parser.ParseDict();
        string? descr = null;
        bool? fortran = null;
        long[]? shape = null;
        foreach ((string key, object value) in entries)
        {
            switch (key)
            {
                case "descr":
                    descr = value as string ?? throw new FormatException($"'descr' is {Describe(value)}, not a string (structured dtypes are not supported)");
                    break;
                case "fortran_order":
                    fortran = value as bool? ?? throw new FormatException($"'fortran_order' is {Describe(value)}, not True or False");
                    break;
                case "shape":
                    shape = value as long[] ?? throw new FormatException($"'shape' is {Describe(value)}, not a tuple of integers");
                    break;
                default:
                    throw new FormatException($"unexpected key '{key}' (a .npy header has exactly descr, fortran_order and shape)");
            }
        }

        return new NpyHeader(
            descr ?? throw new FormatException("the header has no 'descr'"),
            fortran ?? throw new FormatException("the header has no 'fortran_order'"),
            shape ?? throw new FormatException("the header has no 'shape'"));
    }

    private static string Describe(object value) => value switch
    {
        string s => $"the string '{s}'",
        bool b => b ? "True" : "False",
        long[] t => $"the tuple ({string.Join(", ", t)})",
        _ => "a list",
    };

    /// <summary>A recursive-descent parser for the header literal; nesting is at most two levels, so depth is bounded.</summary>
    private sealed class Parser(string text)
    {
        private int position;

        public Dictionary<string, object> ParseDict()
        {
            var entries = new Dictionary<string, object>(StringComparer.Ordinal);
            Expect('{');
            while (true)
            {
                SkipSpace();
                if (TryConsume('}'))
                {
                    break;
                }

                string key = ParseString();
                Expect(':');
                object value = ParseValue();
                if (!entries.TryAdd(key, value))
                {
                    throw Error($"key '{key}' appears twice");
                }

                SkipSpace();
                if (!TryConsume(','))
                {
                    Expect('}');
                    break;
                }
            }

            SkipSpace();
            if (position != text.Length)
            {
                throw Error("unexpected text after the dictionary");
            }

            return entries;
        }

        private object ParseValue()
        {
            SkipSpace();
            if (position >= text.Length)
            {
                throw Error("a value is missing");
            }

            char c = text[position];
            if (c is '\'' or '"')
            {
                return ParseString();
            }

            if (c == '(')
            {
                return ParseTuple();
            }

            if (c == '[')
            {
                throw Error("lists are not supported here (structured dtypes are not supported)");
            }

            if (TryWord("True"))
            {
                return true;
            }

            if (TryWord("False"))
            {
                return false;
            }

            throw Error($"unexpected character '{c}'");
        }

        private long[] ParseTuple()
        {
            Expect('(');
            var items = new List<long>();
            while (true)
            {
                SkipSpace();
                if (TryConsume(')'))
                {
                    break;
                }

                items.Add(ParseInteger());
                SkipSpace();
                if (!TryConsume(','))
                {
                    Expect(')');
                    break;
                }
            }

            return [.. items];
        }

        private long ParseInteger()
        {
            int start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }

            if (position == start)
            {
                throw Error(position < text.Length && text[position] == '-' ? "a dimension is negative" : "a dimension is not an integer");
            }

            if (!long.TryParse(text.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                throw Error("a dimension is too large");
            }

            // Python 2 numpy wrote long integers with an L suffix.
            TryConsume('L');
            return value;
        }

        private string ParseString()
        {
            SkipSpace();
            if (position >= text.Length || text[position] is not ('\'' or '"'))
            {
                throw Error("a string is expected");
            }

            char quote = text[position++];
            int end = text.IndexOf(quote, position);
            if (end < 0)
            {
                throw Error("a string is not closed");
            }

            string value = text[position..end];
            if (value.Contains('\\', StringComparison.Ordinal))
            {
                throw Error("escape sequences are not supported in header strings");
            }

            position = end + 1;
            return value;
        }

        private bool TryWord(string word)
        {
            if (string.CompareOrdinal(text, position, word, 0, word.Length) == 0)
            {
                position += word.Length;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (!TryConsume(c))
            {
                throw Error(position < text.Length ? $"'{c}' expected, found '{text[position]}'" : $"'{c}' expected, found the end");
            }
        }

        private bool TryConsume(char c)
        {
            if (position < text.Length && text[position] == c)
            {
                position++;
                return true;
            }

            return false;
        }

        private void SkipSpace()
        {
            while (position < text.Length && text[position] is ' ' or '\t' or '\n' or '\r')
            {
                position++;
            }
        }

        private FormatException Error(string what) => new($"header character {position}: {what}");
    }
}
