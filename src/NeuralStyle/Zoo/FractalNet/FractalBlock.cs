using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.FractalNet;

/// <summary>One fractal block: C columns of convolution units whose outputs are joined (element-wise mean) after every depth.</summary>
/// <remarks>Keys <c>columns.{c}.{depth}.conv.weight</c>, as khanrc's FractalBlock (no 1x1 "doubler", which is off by default there).</remarks>
public sealed class FractalBlock : nn.Module<Tensor, DropPathPlan, Tensor>
{
    [ComponentName(Name = "columns")]
    private readonly ModuleList<FractalColumn> _columns;

    /// <summary>Builds block <paramref name="index"/> of a network.</summary>
    public FractalBlock(int index, int columns, long inChannels, long outChannels, double dropout)
        : base(nameof(FractalBlock))
    {
        Index = index;
        ColumnCount = columns;
        _columns = new ModuleList<FractalColumn>([.. Enumerable.Range(0, columns).Select(c => new FractalColumn(columns, c, inChannels, outChannels, dropout))]);
        register_module("columns", _columns);
    }

    /// <summary>Position of the block in the network (it selects the block's masks of a <see cref="DropPathPlan"/>).</summary>
    public int Index { get; }

    /// <summary>Number of columns C.</summary>
    public int ColumnCount { get; }

    /// <summary>Column <paramref name="column"/> (0 = shallowest, one unit; C - 1 = deepest, 2^(C-1) units).</summary>
    public FractalColumn Column(int column) => _columns[column];

    /// <inheritdoc />
    public override Tensor forward(Tensor input, DropPathPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.GlobalColumn is int column)
        {
            return ForwardColumn(input, column);
        }

        IReadOnlyList<Tensor?>? masks = plan.LocalMasks?[Index];
        int depthCount = 1 << (ColumnCount - 1);
        var outputs = new Tensor[ColumnCount];
        Array.Fill(outputs, input);
        for (int depth = 0; depth < depthCount; depth++)
        {
            int first = FractalLayout.FirstColumnAt(ColumnCount, depth);
            var joined = new Tensor[ColumnCount - first];
            for (int c = first; c < ColumnCount; c++)
            {
                joined[c - first] = _columns[c][depth].call(outputs[c]);
            }

            Tensor output = Join(joined, masks?[depth]);
            for (int c = first; c < ColumnCount; c++)
            {
                outputs[c] = output;
            }
        }

        return outputs[^1];
    }

    private Tensor ForwardColumn(Tensor input, int column)
    {
        if (column >= ColumnCount)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"the block has {ColumnCount} columns");
        }

        Tensor x = input;
        foreach (FractalConvUnit unit in _columns[column].Units)
        {
            x = unit.call(x);
        }

        return x;
    }

    private static Tensor Join(Tensor[] inputs, Tensor? mask)
    {
        if (inputs.Length == 1)
        {
            return inputs[0];
        }

        Tensor stacked = stack(inputs);
        if (mask is null)
        {
            return stacked.mean([0]);
        }

        if (mask.dim() != 2 || mask.shape[0] != inputs.Length || mask.shape[1] != stacked.shape[1])
        {
            throw new ArgumentException($"a join of {inputs.Length} inputs on a batch of {stacked.shape[1]} needs a [{inputs.Length}, {stacked.shape[1]}] mask, got [{string.Join(", ", mask.shape)}]");
        }

        Tensor weights = mask.to(stacked.dtype, stacked.device).view(mask.shape[0], mask.shape[1], 1, 1, 1);
        Tensor alive = weights.sum([0]).clamp_min(1);
        return stacked.mul(weights).sum([0]).div(alive);
    }
}
