using NeuralStyle.Transfer.Tiling;

namespace NeuralStyle.Jobs;

/// <summary>How a job evaluates its images block by block: the tile size, the network's geometry and the tile of each scale.</summary>
/// <param name="Tile">The blocks' inner side at the final scale, in pixels.</param>
/// <param name="Geometry">The network's strides and the margin that makes blocks exact.</param>
/// <param name="Forced">Asked for with <c>--tile</c>; otherwise chosen because the untiled run would not fit the memory budget.</param>
/// <param name="ScaleTiles">The tile size of each scale of the plan, coarsest first; null where a scale runs untiled.</param>
/// <param name="EstimatedBytes">The estimated peak of the tiled run.</param>
/// <param name="UntiledBytes">The estimated peak the run would have untiled.</param>
public sealed record TilingPlan(int Tile, TilingGeometry Geometry, bool Forced, IReadOnlyList<int?> ScaleTiles, long EstimatedBytes, long UntiledBytes)
{
    /// <summary>The grid of a <paramref name="width"/> x <paramref name="height"/> image at this plan's tile size.</summary>
    public TileGrid GridFor(int width, int height) => new(width, height, Tile, Geometry.Margin, Geometry.Alignment);
}
