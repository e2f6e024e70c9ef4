namespace NeuralStyle.Weights.Mat;

/// <summary>A char array: MATLAB text, one string per row.</summary>
public sealed class MatCharArray : MatArray
{
    private readonly string columnMajor;
    private string[]? rows;

    internal MatCharArray(string name, int[] dimensions, bool isGlobal, string columnMajor)
        : base(name, dimensions, MatClass.Char, isGlobal)
    {
        this.columnMajor = columnMajor;
    }

    /// <summary>All characters (UTF-16 code units) in stored, column-major order.</summary>
    public string ColumnMajorCharacters => columnMajor;

    /// <summary>
    /// The rows as strings. Row i holds the characters whose first index is i, in column-major order of the
    /// remaining dimensions (so an N-D char array's pages follow each other in each row).
    /// </summary>
    public IReadOnlyList<string> Rows => rows ??= SplitRows();

    /// <summary>The text of a single-row (or empty) char array; throws for several rows, which are several strings.</summary>
    public string Text
    {
        get
        {
            IReadOnlyList<string> all = Rows;
            return all.Count switch
            {
                0 => string.Empty,
                1 => all[0],
                _ => throw new InvalidOperationException(
                    $"'{Name}' is a {DimensionsText} char array with {all.Count} rows; use Rows."),
            };
        }
    }

    public override string ToString() => $"{base.ToString()} \"{(Rows.Count == 1 ? Rows[0] : string.Join("|", Rows))}\"";

    private string[] SplitRows()
    {
        int rowCount = GetDimension(0);
        if (rowCount == 0)
        {
            return [];
        }

        int perRow = columnMajor.Length / rowCount;
        var result = new string[rowCount];
        var buffer = new char[perRow];
        for (int r = 0; r < rowCount; r++)
        {
            for (int j = 0; j < perRow; j++)
            {
                buffer[j] = columnMajor[r + (j * rowCount)];
            }

            result[r] = new string(buffer);
        }

        return result;
    }
}
