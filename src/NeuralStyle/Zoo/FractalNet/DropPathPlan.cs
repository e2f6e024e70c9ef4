using static TorchSharp.torch;

namespace NeuralStyle.Zoo.FractalNet;

/// <summary>Which inputs the joins of one forward pass average: all of them, one column of the whole network, or per-sample masks.</summary>
public sealed class DropPathPlan
{
    private DropPathPlan(int? globalColumn, IReadOnlyList<IReadOnlyList<Tensor?>>? localMasks)
    {
        GlobalColumn = globalColumn;
        LocalMasks = localMasks;
    }

    /// <summary>No drop-path: every join averages all its inputs (evaluation mode).</summary>
    public static DropPathPlan AllColumns { get; } = new(null, null);

    /// <summary>The column that global drop-path keeps in every block, or null.</summary>
    public int? GlobalColumn { get; }

    /// <summary>Local drop-path masks, or null: [block][depth] a boolean [join inputs, batch] tensor (true = kept), or null for a join that keeps everything.</summary>
    /// <remarks>Row r is column <see cref="FractalLayout.FirstColumnAt"/> + r. A sample whose row is all false gets zeros from that join, as in khanrc.</remarks>
    public IReadOnlyList<IReadOnlyList<Tensor?>>? LocalMasks { get; }

    /// <summary>Global drop-path: only <paramref name="column"/> (0 = shallowest) runs, in every block, which makes the network that column alone.</summary>
    public static DropPathPlan Global(int column) =>
        column >= 0 ? new(column, null) : throw new ArgumentOutOfRangeException(nameof(column), column, "a column index is not negative");

    /// <summary>Local drop-path with the given masks (see <see cref="LocalMasks"/>).</summary>
    public static DropPathPlan Local(IReadOnlyList<IReadOnlyList<Tensor?>> masks) => new(null, masks ?? throw new ArgumentNullException(nameof(masks)));
}
