namespace NeuralStyle.Weights.Mat;

/// <summary>One MATLAB array read from a MAT-file: a variable, or an element of a cell or struct.</summary>
public abstract class MatArray
{
    private readonly int[] dimensions;

    private protected MatArray(string name, int[] dimensions, MatClass matClass, bool isGlobal)
    {
        Name = name;
        this.dimensions = dimensions;
        Class = matClass;
        IsGlobal = isGlobal;
        long count = 1;
        foreach (int d in dimensions)
        {
            count *= d;
        }

        ElementCount = count;
    }

    /// <summary>The variable name; empty for elements of cells and struct fields.</summary>
    public string Name { get; }

    /// <summary>The dimensions in MATLAB order (rows first), always at least two. A copy: callers may modify it.</summary>
    public int[] Dimensions => (int[])dimensions.Clone();

    /// <summary>Number of dimensions (at least 2).</summary>
    public int Rank => dimensions.Length;

    /// <summary>The class stored in the array flags; logical arrays are <see cref="MatClass.UInt8"/> (see <see cref="MatNumericArray.IsLogical"/>).</summary>
    public MatClass Class { get; }

    public bool IsGlobal { get; }

    /// <summary>The product of the dimensions (a long because a sparse matrix's may exceed int).</summary>
    public long ElementCount { get; }

    public bool IsEmpty => ElementCount == 0;

    /// <summary>The dimensions as MATLAB prints them, e.g. <c>3x3x64x128</c>.</summary>
    public string DimensionsText => string.Join('x', dimensions);

    /// <summary>Size of dimension <paramref name="index"/> (0-based); 1 beyond the stored rank, as in MATLAB.</summary>
    public int GetDimension(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return index < dimensions.Length ? dimensions[index] : 1;
    }

    public override string ToString() =>
        $"{(Name.Length == 0 ? "<unnamed>" : Name)}: {DimensionsText} {Class.ToString().ToLowerInvariant()}";

    /// <summary>The dimensions without a copy, for the library's own use.</summary>
    internal int[] DimensionsNoCopy => dimensions;
}
