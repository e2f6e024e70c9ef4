namespace NeuralStyle.Transfer.Tiling;

/// <summary>How an image is cut into overlapping blocks for <see cref="TiledLosses"/>.</summary>
/// <remarks>
/// Each axis is split into ceil(size / tile) inner spans of nearly equal length whose boundaries are multiples of
/// the alignment; each block then runs on its inner span grown by the margin (clipped to
/// the image). The margin must cover the receptive field of the deepest layer in use (<see cref="TilingGeometry"/>):
/// then the features of every inner span equal those of the whole image, because the block's own borders, where the
/// network pads with zeros, lie outside every inner feature's field.
/// </remarks>
public sealed class TileGrid
{
    /// <summary>Cuts a <paramref name="width"/> x <paramref name="height"/> image.</summary>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="tile">Longest inner span wanted, in pixels (rounded down to the alignment, at least one alignment).</param>
    /// <param name="margin">Pixels added on each inner side; a multiple of <paramref name="alignment"/>.</param>
    /// <param name="alignment">The network's largest stride: every inner boundary is a multiple of it.</param>
    public TileGrid(int width, int height, int tile, int margin, int alignment)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alignment);
        ArgumentOutOfRangeException.ThrowIfNegative(margin);
        if (margin % alignment != 0)
        {
            throw new ArgumentException($"the margin ({margin}) must be a multiple of the alignment ({alignment})", nameof(margin));
        }

        Width = width;
        Height = height;
        Tile = Math.Max(alignment, tile / alignment * alignment);
        Margin = margin;
        Alignment = alignment;
        int[] rows = Boundaries(height, Tile, alignment);
        int[] columns = Boundaries(width, Tile, alignment);
        var blocks = new List<TileBlock>();
        for (int r = 0; r + 1 < rows.Length; r++)
        {
            for (int c = 0; c + 1 < columns.Length; c++)
            {
                blocks.Add(new TileBlock(
                    Math.Max(0, rows[r] - margin),
                    Math.Max(0, columns[c] - margin),
                    Math.Min(height, rows[r + 1] + margin),
                    Math.Min(width, columns[c + 1] + margin),
                    rows[r],
                    columns[c],
                    rows[r + 1],
                    columns[c + 1],
                    r,
                    c));
            }
        }

        Blocks = blocks;
        RowCount = rows.Length - 1;
        ColumnCount = columns.Length - 1;
    }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Longest inner span, in pixels (a multiple of <see cref="Alignment"/>).</summary>
    public int Tile { get; }

    /// <summary>Pixels each block reaches beyond its inner span.</summary>
    public int Margin { get; }

    /// <summary>The network's largest stride.</summary>
    public int Alignment { get; }

    /// <summary>The blocks, row by row.</summary>
    public IReadOnlyList<TileBlock> Blocks { get; }

    /// <summary>Rows of blocks.</summary>
    public int RowCount { get; }

    /// <summary>Columns of blocks.</summary>
    public int ColumnCount { get; }

    /// <summary>The largest outer block, which sets the peak memory of a tiled pass.</summary>
    public (int Width, int Height) LargestBlock => (Blocks.Max(b => b.Width), Blocks.Max(b => b.Height));

    // 0 = b0 < b1 < ... < bk = size with k = ceil(size / tile) and every inner boundary a multiple of the alignment,
    // the spans as even as the alignment allows.
    private static int[] Boundaries(int size, int tile, int alignment)
    {
        int count = Math.Max(1, (int)Math.Ceiling((double)size / tile));
        var boundaries = new List<int> { 0 };
        for (int i = 1; i < count; i++)
        {
            int at = (int)Math.Round((double)size * i / count / alignment) * alignment;
            if (at > boundaries[^1] && at < size)
            {
                boundaries.Add(at);
            }
        }

        boundaries.Add(size);
        return [.. boundaries];
    }
}
