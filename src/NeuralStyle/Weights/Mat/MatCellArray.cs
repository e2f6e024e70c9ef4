namespace NeuralStyle.Weights.Mat;

/// <summary>A cell array: any arrays, in column-major order.</summary>
public sealed class MatCellArray : MatArray
{
    private readonly IReadOnlyList<MatArray> elements;

    internal MatCellArray(string name, int[] dimensions, bool isGlobal, IReadOnlyList<MatArray> elements)
        : base(name, dimensions, MatClass.Cell, isGlobal)
    {
        this.elements = elements;
    }

    /// <summary>The elements in column-major (MATLAB linear index) order.</summary>
    public IReadOnlyList<MatArray> Elements => elements;

    public int Count => elements.Count;

    /// <summary>The element at a 0-based linear (column-major) index.</summary>
    public MatArray this[int linearIndex] => elements[linearIndex];

    /// <summary>The element at 0-based (row, column); trailing dimensions are folded into columns, as in MATLAB.</summary>
    public MatArray this[int row, int column]
    {
        get
        {
            int rows = GetDimension(0);
            if (row < 0 || row >= rows || column < 0 || (long)column * rows >= elements.Count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(row), $"({row}, {column}) is outside the {DimensionsText} cell array '{Name}'.");
            }

            return elements[row + (column * rows)];
        }
    }
}
