using static TorchSharp.torch;

namespace NeuralStyle.Zoo.FractalNet;

/// <summary>Draws the drop-path of a training mini-batch.</summary>
/// <remarks>
/// As in the paper, a mini-batch is global with probability <see cref="FractalNetConfig.GlobalDropFraction"/> (one
/// column, the same in every block) and local otherwise. Local masks are drawn per sample, as khanrc does: every join
/// input is dropped with <see cref="FractalNetConfig.LocalDropProbability"/> and, where that drops them all, one chosen
/// uniformly survives. khanrc instead makes a fixed fraction of the samples of every mini-batch global; the paper
/// alternates whole mini-batches, which is what we follow.
/// </remarks>
public static class DropPathSampler
{
    /// <summary>A plan for a mini-batch of <paramref name="batch"/> samples; <paramref name="generator"/> null: TorchSharp's default generator.</summary>
    public static DropPathPlan Sample(FractalNetConfig config, long batch, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var noGrad = no_grad();
        if (config.GlobalDropFraction > 0 && rand(1, generator: generator).item<float>() < config.GlobalDropFraction)
        {
            int column = (int)randint(config.Columns, [1], generator: generator).item<long>();
            return DropPathPlan.Global(column);
        }

        var blocks = new List<IReadOnlyList<Tensor?>>(config.Blocks);
        for (int b = 0; b < config.Blocks; b++)
        {
            var joins = new Tensor?[config.Depth];
            for (int depth = 0; depth < config.Depth; depth++)
            {
                int width = FractalLayout.JoinWidth(config.Columns, depth);
                joins[depth] = width > 1 ? LocalMask(width, batch, config.LocalDropProbability, generator) : null;
            }

            blocks.Add(joins);
        }

        return DropPathPlan.Local(blocks);
    }

    private static Tensor LocalMask(int width, long batch, double drop, Generator? generator)
    {
        Tensor keep = rand([width, batch], generator: generator).ge(drop);
        Tensor dead = keep.any(0).logical_not();
        Tensor survivor = randint(width, [batch], generator: generator);
        Tensor revive = nn.functional.one_hot(survivor, width).t().to(ScalarType.Bool).logical_and(dead.unsqueeze(0));
        return keep.logical_or(revive);
    }
}
