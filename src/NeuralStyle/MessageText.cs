using System.Globalization;
using System.Text;

namespace NeuralStyle;

/// <summary>Keeps error messages to one line when they quote text read from a file.</summary>
internal static class MessageText
{
    /// <summary>
    /// <paramref name="text"/> with every control character escaped (\n, \r, \t, \0, others as \uXXXX). Readers quote
    /// names, keys and type strings from the file in their messages; a newline among them split the message, and the
    /// CLI prints only the first line of an error (found by the fuzz test: a MAT variable name holding a newline left
    /// "in " as the whole reason).
    /// </summary>
    public static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            result.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return result.ToString();
    }
}
