using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Tiling;

/// <summary>Runs a network block by block over an image and hands over each block's inner features (see <see cref="TileGrid"/>).</summary>
internal sealed class TiledPasses(IFeatureNetwork network, TilingGeometry geometry, int tile, ComputePrecision precision)
{
    /// <summary>The geometry the blocks are cut by.</summary>
    public TilingGeometry Geometry { get; } = geometry;

    /// <summary>The grid for a 1 x 3 x H x W image.</summary>
    public TileGrid GridFor(Tensor image) => new((int)image.shape[3], (int)image.shape[2], tile, Geometry.Margin, Geometry.Alignment);

    /// <summary>The outer region of <paramref name="block"/> cut from <paramref name="image"/>.</summary>
    public static Tensor Crop(Tensor image, TileBlock block) =>
        image[.., .., block.Top..block.Bottom, block.Left..block.Right];

    /// <summary>Runs the block's outer region and returns the layers' features (float32, with a graph when gradients are on).</summary>
    public IReadOnlyDictionary<string, Tensor> Features(Tensor blockInput, IReadOnlyCollection<string> layers) =>
        network.Extract(blockInput, layers, precision);

    /// <summary>The features of the block's inner region, a view of <paramref name="features"/> (the block's, of stride <paramref name="layer"/>'s).</summary>
    public Tensor Inner(Tensor features, TileBlock block, TileGrid grid, string layer)
    {
        (long top, long rows, long left, long columns) = InnerCells(features, block, grid, layer);
        return features.narrow(2, top, rows).narrow(3, left, columns);
    }

    /// <summary>Where the block's inner region lies in the whole image's feature map of <paramref name="layer"/>: first row and column.</summary>
    public (long Row, long Column) InnerOrigin(TileBlock block, string layer)
    {
        int stride = Geometry.Strides[layer];
        return (block.InnerTop / stride, block.InnerLeft / stride);
    }

    /// <summary>Rows and columns of the block's inner cells in its own feature map, clipped to what the map has.</summary>
    /// <remarks>
    /// Inner boundaries are multiples of the largest stride, so the inner region starts at a whole cell of every layer.
    /// A block on the image's far edge keeps every cell its map has there: the whole image's map ends at the same place
    /// (its origin is aligned, and the layer's output size formula shifts by exactly origin / stride).
    /// </remarks>
    private (long Top, long Rows, long Left, long Columns) InnerCells(Tensor features, TileBlock block, TileGrid grid, string layer)
    {
        int stride = Geometry.Strides[layer];
        long top = (block.InnerTop - block.Top) / stride, left = (block.InnerLeft - block.Left) / stride;
        long rows = block.InnerBottom == grid.Height ? features.shape[2] - top : (block.InnerBottom - block.InnerTop) / stride;
        long columns = block.InnerRight == grid.Width ? features.shape[3] - left : (block.InnerRight - block.InnerLeft) / stride;
        return (top, rows, left, columns);
    }

    /// <summary>Runs every block without gradients and calls <paramref name="visit"/> with its inner features per layer.</summary>
    public void ForEachBlock(Tensor image, TileGrid grid, IReadOnlyCollection<string> layers, Action<TileBlock, IReadOnlyDictionary<string, Tensor>> visit)
    {
        using var noGrad = no_grad();
        foreach (TileBlock block in grid.Blocks)
        {
            using var scope = NewDisposeScope();
            using Tensor input = Crop(image, block).contiguous();
            IReadOnlyDictionary<string, Tensor> features = Features(input, layers);
            visit(block, layers.ToDictionary(l => l, l => Inner(features[l], block, grid, l), StringComparer.Ordinal));
        }
    }

    /// <summary>The whole image's features of <paramref name="layers"/>, assembled from the blocks' inner features (no gradients).</summary>
    public Dictionary<string, Tensor> Assemble(Tensor image, IReadOnlyCollection<string> layers)
    {
        TileGrid grid = GridFor(image);
        var pieces = layers.ToDictionary(l => l, _ => new Tensor[grid.RowCount, grid.ColumnCount], StringComparer.Ordinal);
        ForEachBlock(image, grid, layers, (block, inner) =>
        {
            foreach ((string layer, Tensor f) in inner)
            {
                pieces[layer][block.Row, block.Column] = f.contiguous().DetachFromDisposeScope();
            }
        });

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string layer, Tensor[,] grid2) in pieces)
        {
            using var scope = NewDisposeScope();
            var rows = new List<Tensor>();
            for (int r = 0; r < grid.RowCount; r++)
            {
                rows.Add(cat([.. Enumerable.Range(0, grid.ColumnCount).Select(c => grid2[r, c])], 3));
            }

            result[layer] = cat(rows, 2).MoveToOuterDisposeScope();
            foreach (Tensor piece in grid2)
            {
                piece.Dispose();
            }
        }

        return result;
    }
}
