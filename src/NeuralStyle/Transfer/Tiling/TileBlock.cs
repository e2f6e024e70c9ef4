namespace NeuralStyle.Transfer.Tiling;

/// <summary>One block of a <see cref="TileGrid"/>: the region the network runs on and the region whose features it contributes.</summary>
/// <remarks>
/// The inner regions of a grid's blocks partition the image; each outer region is its inner one grown by the margin on
/// every side that is not the image's border. Every coordinate is a multiple of the grid's alignment (except the image's
/// far edges), so a layer of stride s sees the block's origin at an integer position of its own grid.
/// </remarks>
/// <param name="Top">First row of the outer region.</param>
/// <param name="Left">First column of the outer region.</param>
/// <param name="Bottom">One past the last row of the outer region.</param>
/// <param name="Right">One past the last column of the outer region.</param>
/// <param name="InnerTop">First row of the inner region.</param>
/// <param name="InnerLeft">First column of the inner region.</param>
/// <param name="InnerBottom">One past the last row of the inner region.</param>
/// <param name="InnerRight">One past the last column of the inner region.</param>
/// <param name="Row">Index of the block's row in the grid.</param>
/// <param name="Column">Index of the block's column in the grid.</param>
public sealed record TileBlock(int Top, int Left, int Bottom, int Right, int InnerTop, int InnerLeft, int InnerBottom, int InnerRight, int Row, int Column)
{
    /// <summary>Rows of the outer region.</summary>
    public int Height => Bottom - Top;

    /// <summary>Columns of the outer region.</summary>
    public int Width => Right - Left;
}
