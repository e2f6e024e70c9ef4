namespace NeuralStyle.Weights.Mat;

/// <summary>
/// A sparse matrix in MATLAB's compressed sparse column form: the non-zeros of column j are entries
/// ColumnStarts[j] to ColumnStarts[j + 1] - 1 of <see cref="RowIndices"/> and the value arrays.
/// </summary>
public sealed class MatSparseArray : MatArray
{
    internal MatSparseArray(
        string name, int[] dimensions, bool isGlobal, int[] rowIndices, int[] columnStarts,
        double[]? realValues, double[]? imaginaryValues, bool[]? logicalValues)
        : base(name, dimensions, MatClass.Sparse, isGlobal)
    {
        RowIndices = rowIndices;
        ColumnStarts = columnStarts;
        RealValues = realValues;
        ImaginaryValues = imaginaryValues;
        LogicalValues = logicalValues;
    }

    public int RowCount => GetDimension(0);

    public int ColumnCount => GetDimension(1);

    public int NonZeroCount => ColumnStarts[^1];

    /// <summary>0-based row of each stored entry (length <see cref="NonZeroCount"/>).</summary>
    public int[] RowIndices { get; }

    /// <summary>Index of each column's first entry, plus the entry count at the end (length columns + 1).</summary>
    public int[] ColumnStarts { get; }

    /// <summary>Real parts of the entries; null for a logical matrix.</summary>
    public double[]? RealValues { get; }

    /// <summary>Imaginary parts of the entries for a complex matrix; else null.</summary>
    public double[]? ImaginaryValues { get; }

    /// <summary>The entries of a logical sparse matrix; else null.</summary>
    public bool[]? LogicalValues { get; }

    public bool IsLogical => LogicalValues is not null;

    public bool IsComplex => ImaginaryValues is not null;

    /// <summary>The full matrix (double, or logical uint8), column-major like every other array.</summary>
    public MatNumericArray ToDense()
    {
        if (ElementCount > Array.MaxLength)
        {
            throw new InvalidOperationException($"{RowCount}x{ColumnCount} sparse matrix '{Name}' is too large to make dense.");
        }

        int rows = RowCount;
        int total = (int)ElementCount;
        int[] dims = [rows, ColumnCount];
        if (LogicalValues is { } logical)
        {
            var dense = new byte[total];
            ForEachEntry((k, index) => dense[index] = logical[k] ? (byte)1 : (byte)0);
            return new MatNumericArray(Name, dims, MatClass.UInt8, IsGlobal, isLogical: true, dense, null);
        }

        var real = new double[total];
        double[]? imaginary = ImaginaryValues is null ? null : new double[total];
        ForEachEntry((k, index) =>
        {
            // Duplicate entries are summed, as MATLAB's sparse() does when building the matrix.
            real[index] += RealValues![k];
            if (imaginary is not null)
            {
                imaginary[index] += ImaginaryValues![k];
            }
        });
        return new MatNumericArray(Name, dims, MatClass.Double, IsGlobal, isLogical: false, real, imaginary);
    }

    private void ForEachEntry(Action<int, int> visit)
    {
        int rows = RowCount;
        for (int column = 0; column + 1 < ColumnStarts.Length; column++)
        {
            for (int k = ColumnStarts[column]; k < ColumnStarts[column + 1]; k++)
            {
                visit(k, RowIndices[k] + (column * rows));
            }
        }
    }
}
