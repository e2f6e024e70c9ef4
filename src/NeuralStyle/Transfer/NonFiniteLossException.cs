using NeuralStyle.Imaging;

namespace NeuralStyle.Transfer;

/// <summary>A loss evaluation gave NaN or infinity: the run stops instead of writing a black or garbage picture.</summary>
/// <remarks>
/// The message names the iteration, the term that went non-finite and the likely cause. The best finite image seen
/// before (lowest evaluated loss) travels with the exception, so a front end can still write it.
/// </remarks>
public sealed class NonFiniteLossException : NeuralStyleException
{
    /// <summary>Creates the exception.</summary>
    public NonFiniteLossException(string message, int iteration, string term, RgbImage? bestImage, int? bestIteration, double bestLoss)
        : base(message)
    {
        Iteration = iteration;
        Term = term;
        BestImage = bestImage;
        BestIteration = bestIteration;
        BestLoss = bestLoss;
    }

    /// <summary>The 1-based iteration whose evaluation was not finite.</summary>
    public int Iteration { get; }

    /// <summary>The first term that was not finite: "content", "style", "total variation" or "total" (the sum overflowed).</summary>
    public string Term { get; }

    /// <summary>The finite image with the lowest evaluated loss before the failure, or null when there was none.</summary>
    public RgbImage? BestImage { get; }

    /// <summary>The 1-based iteration <see cref="BestImage"/> was evaluated at.</summary>
    public int? BestIteration { get; }

    /// <summary>The loss of <see cref="BestImage"/>.</summary>
    public double BestLoss { get; }

    /// <summary>The same failure with <paramref name="outcome"/> (what was written, or that nothing was) added to the message.</summary>
    public NonFiniteLossException WithOutcome(string outcome) =>
        new($"{Message}; {outcome}", Iteration, Term, BestImage, BestIteration, BestLoss);
}
