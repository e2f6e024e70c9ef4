using System.Globalization;

namespace NeuralStyle.Kernels;

/// <summary>The outcome of checking one <see cref="KernelCase"/> against its float64 reference.</summary>
/// <param name="Case">The case's name.</param>
/// <param name="Operation">Its operation ("conv2d", ...).</param>
/// <param name="Comparisons">One entry per output.</param>
/// <param name="Repeats">How many times LibTorch ran it.</param>
/// <param name="Tolerance">The relative tolerance it was held to.</param>
public sealed record KernelCheckResult(string Case, string Operation, IReadOnlyList<KernelComparison> Comparisons, int Repeats, double Tolerance)
{
    /// <summary>Every output finite and within the tolerance in every repetition.</summary>
    public bool Passed => Comparisons.All(c => !c.NonFinite && c.RelativeError <= Tolerance);

    /// <summary>The output furthest from the reference (non-finite first).</summary>
    public KernelComparison Worst => Comparisons.OrderByDescending(c => c.NonFinite).ThenByDescending(c => double.IsNaN(c.RelativeError) ? double.MaxValue : c.RelativeError).First();

    /// <summary>One line: the case, then its worst output and error ("conv2d x[2,24,14,14] ...: input gradient relative error 1.1e-01").</summary>
    public string Describe()
    {
        KernelComparison worst = Worst;
        string error = worst.NonFinite
            ? "non-finite values"
            : string.Create(CultureInfo.InvariantCulture, $"relative error {worst.RelativeError:0.0e+00}");
        string repeats = Repeats > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({Repeats} runs)") : "";
        return $"{Case}: {worst.Output} {error}{repeats}";
    }
}
