using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace NeuralStyle.Weights.Mat;

/// <summary>One element of a struct array as a read-only, field-ordered dictionary (a view; nothing is copied).</summary>
internal sealed class MatStructElement(
    string[] fieldNames, Dictionary<string, int> fieldIndex, IReadOnlyList<MatArray> values, int offset)
    : IReadOnlyDictionary<string, MatArray>
{
    public int Count => fieldNames.Length;

    public IEnumerable<string> Keys => fieldNames;

    public IEnumerable<MatArray> Values => fieldNames.Select((_, f) => values[offset + f]);

    public MatArray this[string key] =>
        TryGetValue(key, out MatArray? value)
            ? value
            : throw new KeyNotFoundException($"No field '{key}'; the fields are: {string.Join(", ", fieldNames)}.");

    public bool ContainsKey(string key) => fieldIndex.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out MatArray value)
    {
        if (fieldIndex.TryGetValue(key, out int f))
        {
            value = values[offset + f];
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, MatArray>> GetEnumerator()
    {
        for (int f = 0; f < fieldNames.Length; f++)
        {
            yield return new KeyValuePair<string, MatArray>(fieldNames[f], values[offset + f]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
