using System.Diagnostics;
using NeuralStyle.Kernels;

namespace NeuralStyle.Runtime;

/// <summary>
/// Chooses LibTorch's kernel configuration for this CPU: oneDNN stays on only if its results agree with float64 on
/// probes of the shapes known to go wrong (<see cref="KernelSamples.GuardProbes"/>); otherwise it is switched off,
/// the switch is read back, and the probes are run again on LibTorch's own kernels.
/// </summary>
/// <remarks>
/// Any later fast path (lower precision, other backends) must pass probes against float64 before it is used: the
/// bfloat16 path has its own check, <see cref="Bf16Guard"/>, run in the configuration chosen here.
/// </remarks>
public static class KernelGuard
{
    /// <summary>Probes, chooses and applies a configuration.</summary>
    /// <param name="policy">What may be chosen.</param>
    /// <param name="probes">The cases to run; null: <see cref="KernelSamples.GuardProbes"/>.</param>
    /// <param name="fault">Test seam: replaces LibTorch results before comparison (see <see cref="KernelFault"/>).</param>
    public static KernelGuardDecision Decide(OneDnnPolicy policy, IReadOnlyList<KernelCase>? probes = null, KernelFault? fault = null)
    {
        var clock = Stopwatch.StartNew();
        probes ??= KernelSamples.GuardProbes();
        KernelCheckOptions options = KernelSamples.GuardOptions(fault);
        IReadOnlyList<KernelCheckResult> oneDnn = [];
        if (policy == OneDnnPolicy.Auto)
        {
            Apply(KernelConfiguration.OneDnn);
            oneDnn = KernelCheck.Run(probes, options);
            if (oneDnn.All(r => r.Passed))
            {
                return new KernelGuardDecision(KernelConfiguration.OneDnn, policy, Reliable: true,
                    $"all {oneDnn.Count} probes agree with float64", oneDnn, oneDnn, clock.Elapsed.TotalMilliseconds);
            }
        }

        Apply(KernelConfiguration.NoOneDnn);
        IReadOnlyList<KernelCheckResult> safe = KernelCheck.Run(probes, options);
        bool reliable = safe.All(r => r.Passed);
        string why = policy == OneDnnPolicy.Off
            ? "disabled by policy (NEURALSTYLE_ONEDNN=off)"
            : $"oneDNN failed {oneDnn.Count(r => !r.Passed)} of {oneDnn.Count} probes ({oneDnn.First(r => !r.Passed).Describe()})";
        string outcome = reliable
            ? $"; LibTorch's own kernels agree with float64 on all {safe.Count}"
            : $"; LibTorch's own kernels fail too ({safe.First(r => !r.Passed).Describe()})";
        return new KernelGuardDecision(KernelConfiguration.NoOneDnn, policy, reliable, why + outcome, oneDnn, safe, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>The configuration LibTorch is in now.</summary>
    public static KernelConfiguration Current => LibTorchNative.OneDnnEnabled ? KernelConfiguration.OneDnn : KernelConfiguration.NoOneDnn;

    /// <summary>Switches LibTorch to <paramref name="configuration"/> and reads the switch back.</summary>
    /// <remarks>Bypasses the probes: for benchmarks that time both configurations, and for the guard itself.</remarks>
    /// <exception cref="KernelCheckException">LibTorch did not take the setting.</exception>
    public static void Apply(KernelConfiguration configuration)
    {
        bool enable = configuration == KernelConfiguration.OneDnn;
        LibTorchNative.OneDnnEnabled = enable;
        if (LibTorchNative.OneDnnEnabled != enable)
        {
            throw new KernelCheckException($"LibTorch did not take the oneDNN setting (asked {(enable ? "on" : "off")}, reads {(enable ? "off" : "on")})");
        }
    }
}
