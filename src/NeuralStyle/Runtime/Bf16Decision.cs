using System.Globalization;
using NeuralStyle.Kernels;

namespace NeuralStyle.Runtime;

/// <summary>Whether the bfloat16 engine path may be used on this CPU, and why (see <see cref="Bf16Guard"/>).</summary>
/// <param name="Usable">The CPU has native bfloat16 and every probe agreed with float64 within <see cref="Bf16Guard.Tolerance"/>.</param>
/// <param name="Reason">One line for people: what was found, or what failed.</param>
/// <param name="Probes">The probes' results (empty when the CPU was refused before any ran).</param>
/// <param name="Milliseconds">The check's wall time, float64 references included.</param>
/// <param name="SpeedRatio">fp32's time over bf16's for a VGG-sized convolution, forward and input gradient (above 1: bf16 is faster); NaN when not measured (refused before).</param>
public sealed record Bf16Decision(bool Usable, string Reason, IReadOnlyList<KernelCheckResult> Probes, double Milliseconds, double SpeedRatio = double.NaN)
{
    /// <summary>Usable and measured at least <see cref="Bf16Guard.AutoSpeedup"/> times as fast as fp32: what <c>--precision auto</c> needs.</summary>
    public bool WorthIt => Usable && SpeedRatio >= Bf16Guard.AutoSpeedup;

    /// <summary>The largest relative error among the probes (non-finite results count as infinite); 0 when none ran.</summary>
    public double WorstRelativeError => Probes.Count == 0 ? 0 : Probes.Max(r => r.Worst.NonFinite ? double.PositiveInfinity : r.Worst.RelativeError);

    /// <summary>One line: usable or not, reason, cost.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture, $"bf16 {(Usable ? "usable" : "not usable")}: {Reason} ({Milliseconds:0} ms)");
}
