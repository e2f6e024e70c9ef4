using System.Diagnostics.CodeAnalysis;

namespace NeuralStyle.Weights.Mat;

/// <summary>A struct array: every element has the same fields, in the order the file gives them.</summary>
public class MatStructArray : MatArray
{
    private readonly string[] fieldNames;
    private readonly Dictionary<string, int> fieldIndex;
    private readonly IReadOnlyList<MatArray> values;
    private readonly int count;

    // Field values are stored element by element: element e's field f is at e * fieldCount + f.
    internal MatStructArray(string name, int[] dimensions, MatClass matClass, bool isGlobal, string[] fieldNames, IReadOnlyList<MatArray> values)
        : base(name, dimensions, matClass, isGlobal)
    {
        this.fieldNames = fieldNames;
        this.values = values;
        count = (int)ElementCount;
        fieldIndex = new Dictionary<string, int>(fieldNames.Length, StringComparer.Ordinal);
        for (int i = 0; i < fieldNames.Length; i++)
        {
            fieldIndex[fieldNames[i]] = i;
        }
    }

    public IReadOnlyList<string> FieldNames => fieldNames;

    /// <summary>Number of struct elements (the product of the dimensions).</summary>
    public int Count => count;

    /// <summary>Each element's fields, in column-major element order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, MatArray>> Elements => new ElementList(this);

    /// <summary>A field of a 1x1 struct.</summary>
    public MatArray this[string field]
    {
        get
        {
            RequireScalar();
            return Field(field, 0);
        }
    }

    public bool HasField(string name) => fieldIndex.ContainsKey(name);

    /// <summary>Field <paramref name="name"/> of element <paramref name="index"/> (0-based, column-major).</summary>
    public MatArray Field(string name, int index)
    {
        if (!fieldIndex.TryGetValue(name, out int f))
        {
            throw new KeyNotFoundException(
                $"{Describe()} has no field '{name}'; its fields are: {string.Join(", ", fieldNames)}.");
        }

        if (index < 0 || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"{Describe()} has {count} element(s), not {index + 1}.");
        }

        return values[(index * fieldNames.Length) + f];
    }

    /// <summary>A field of a 1x1 struct, if present.</summary>
    public bool TryGetField(string name, [NotNullWhen(true)] out MatArray? value)
    {
        RequireScalar();
        return TryGetField(name, 0, out value);
    }

    /// <summary>Field <paramref name="name"/> of element <paramref name="index"/>, if the field exists.</summary>
    public bool TryGetField(string name, int index, [NotNullWhen(true)] out MatArray? value)
    {
        if (index < 0 || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"{Describe()} has {count} element(s), not {index + 1}.");
        }

        if (fieldIndex.TryGetValue(name, out int f))
        {
            value = values[(index * fieldNames.Length) + f];
            return true;
        }

        value = null;
        return false;
    }

    private protected string Describe() => Name.Length == 0 ? $"This {DimensionsText} struct" : $"Struct '{Name}'";

    private void RequireScalar()
    {
        if (count != 1)
        {
            throw new InvalidOperationException(
                $"{Describe()} has {count} elements; use Field(name, index) to pick one.");
        }
    }

    private sealed class ElementList(MatStructArray owner) : IReadOnlyList<IReadOnlyDictionary<string, MatArray>>
    {
        public int Count => owner.count;

        public IReadOnlyDictionary<string, MatArray> this[int index] =>
            index >= 0 && index < owner.count
                ? new MatStructElement(owner.fieldNames, owner.fieldIndex, owner.values, index * owner.fieldNames.Length)
                : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<IReadOnlyDictionary<string, MatArray>> GetEnumerator()
        {
            for (int i = 0; i < owner.count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
