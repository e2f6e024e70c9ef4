namespace NeuralStyle.Kernels;

/// <summary>How one output of a case compared with the float64 reference, worst over the repetitions.</summary>
/// <param name="Output">The output's name ("output", "input gradient", ...).</param>
/// <param name="RelativeError">max |ours - reference| / max scale, the scale being the sums of |terms| where the case gives them (see <see cref="KernelCase.Magnitudes"/>), else |reference| (the absolute difference when the scale is all zeros).</param>
/// <param name="NonFinite">Whether any repetition produced a NaN or infinity.</param>
public sealed record KernelComparison(string Output, double RelativeError, bool NonFinite);
