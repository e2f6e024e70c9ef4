using NeuralStyle.Transfer;

namespace NeuralStyle.Jobs;

/// <summary>The optimiser and coarse-to-fine schedule a run uses when the flags do not say: ours, or the seed's.</summary>
/// <remarks>
/// Ours was chosen by measurement (bench/NeuralStyle.Bench time-to-loss, figures in BENCHMARKS.md): Adam over three
/// scales reaches the loss the seed's recipe ends with after 1000 iterations 11 times sooner at 256 px and ends lowest
/// of the configurations tried at 256 and 512 px (L-BFGS, with or without scales, ended higher).
/// `--recipe seed` gives the seed's schedule (Adam on the output size only); explicit flags override either recipe.
/// </remarks>
public static class StyleRecipe
{
    /// <summary>Our default optimiser.</summary>
    public const OptimizerKind DefaultOptimizer = OptimizerKind.Adam;

    /// <summary>Our default number of scales.</summary>
    public const int DefaultScales = 3;

    /// <summary>Iterations of every coarser scale unless --coarse-iterations says otherwise.</summary>
    public const int DefaultCoarseIterations = 100;

    /// <summary>The coarsest scale's long side unless --min-size says otherwise: a quarter of the output's, at least 64 px.</summary>
    /// <remarks>Scales then differ by a factor of 2; below about 64 px the backbones' deepest layers have almost no positions left.</remarks>
    public static int MinSizeFor(int width, int height) => Math.Max(64, Math.Max(width, height) / 4);
}
