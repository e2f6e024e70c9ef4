using System.Globalization;
using NeuralStyle.Kernels;

namespace NeuralStyle.Runtime;

/// <summary>What the start-up guard chose, and why.</summary>
/// <param name="Configuration">The kernels in use from now on.</param>
/// <param name="Policy">What the guard was allowed to choose.</param>
/// <param name="Reliable">Whether the chosen configuration passed every probe; a run refuses to start when it did not.</param>
/// <param name="Reason">One sentence for people (doctor, the manifest).</param>
/// <param name="OneDnnProbes">The probes with oneDNN on (empty when the policy forbade it).</param>
/// <param name="ChosenProbes">The probes in the chosen configuration (the same results when oneDNN was kept).</param>
/// <param name="Milliseconds">The guard's wall time, float64 references included.</param>
public sealed record KernelGuardDecision(
    KernelConfiguration Configuration,
    OneDnnPolicy Policy,
    bool Reliable,
    string Reason,
    IReadOnlyList<KernelCheckResult> OneDnnProbes,
    IReadOnlyList<KernelCheckResult> ChosenProbes,
    double Milliseconds)
{
    /// <summary>The largest relative error among the chosen configuration's probes (non-finite results count as infinite).</summary>
    public double WorstRelativeError => ChosenProbes.Count == 0 ? 0 : ChosenProbes.Max(r => r.Worst.NonFinite ? double.PositiveInfinity : r.Worst.RelativeError);

    /// <summary>"oneDNN on" or "oneDNN off".</summary>
    public string ConfigurationName => Configuration == KernelConfiguration.OneDnn ? "oneDNN on" : "oneDNN off";

    /// <summary>One line: configuration, reason, cost.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture, $"{ConfigurationName}: {Reason} ({Milliseconds:0} ms)");
}
