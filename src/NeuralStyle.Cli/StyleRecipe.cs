using NeuralStyle.Transfer;

namespace NeuralStyle.Cli;

/// <summary>The optimiser and coarse-to-fine schedule a run uses when the flags do not say: ours, or the seed's.</summary>
/// <remarks>
/// Ours was chosen by measurement (bench/NeuralStyle.Bench time-to-loss, figures in BENCHMARKS.md): L-BFGS over three
/// scales reaches the loss the seed's recipe ends with after 1000 iterations many times sooner, at 256 and 512 px.
/// `--recipe seed` gives the seed's schedule (Adam on the output size only); explicit flags override either recipe.
/// </remarks>
internal static class StyleRecipe
{
    /// <summary>Our default optimiser.</summary>
    public const OptimizerKind DefaultOptimizer = OptimizerKind.Lbfgs;

    /// <summary>The optimiser when --optimizer is not given.</summary>
    /// <remarks>
    /// Adam when the seed's recipe is asked for, when one of Adam's own flags is given (--learning-rate, --beta1, --beta2,
    /// --epsilon: a seed command line means Adam, and an Adam step size of 10 would wreck L-BFGS, whose step is 1), and
    /// for a stochastic style loss (sliced draws new directions every step, and L-BFGS's curvature pairs assume one
    /// fixed function).
    /// </remarks>
    public static OptimizerKind OptimizerFor(bool seedRecipe, bool adamParameterGiven, bool stochasticLoss) =>
        seedRecipe || adamParameterGiven || stochasticLoss ? OptimizerKind.Adam : DefaultOptimizer;

    /// <summary>Our default number of scales.</summary>
    public const int DefaultScales = 3;

    /// <summary>Iterations of every coarser scale unless --coarse-iterations says otherwise.</summary>
    public const int DefaultCoarseIterations = 100;

    /// <summary>The coarsest scale's long side unless --min-size says otherwise: a quarter of the output's, at least 64 px.</summary>
    /// <remarks>Scales then differ by a factor of 2; below about 64 px the backbones' deepest layers have almost no positions left.</remarks>
    public static int MinSizeFor(int width, int height) => Math.Max(64, Math.Max(width, height) / 4);
}
