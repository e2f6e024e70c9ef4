using System.Globalization;
using NeuralStyle.Runtime;

namespace NeuralStyle.Transfer;

/// <summary>A requested <see cref="ComputePrecision"/> resolved for a backbone and this CPU: what a run computes in, and why.</summary>
/// <param name="Requested">What was asked (float32, bfloat16 or auto).</param>
/// <param name="Used">What the run computes in: float32 or bfloat16, never auto.</param>
/// <param name="Reason">One line for people and the manifest.</param>
public sealed record PrecisionChoice(ComputePrecision Requested, ComputePrecision Used, string Reason)
{
    /// <summary>"fp32", "bf16" or "auto", as <c>--precision</c> spells them.</summary>
    public static string Name(ComputePrecision precision) => precision switch
    {
        ComputePrecision.BFloat16 => "bf16",
        ComputePrecision.Auto => "auto",
        _ => "fp32",
    };

    /// <summary>Resolves <paramref name="requested"/> with the process's <see cref="Bf16Guard.Current"/> (run only when bfloat16 could be chosen).</summary>
    /// <exception cref="ArgumentException">bfloat16 was asked explicitly and the backbone or the CPU cannot give it.</exception>
    public static PrecisionChoice Resolve(ComputePrecision requested, IFeatureNetwork network) =>
        Resolve(requested, network, () => Bf16Guard.Current);

    /// <summary>Resolves <paramref name="requested"/> with the bfloat16 decision <paramref name="bf16"/> gives (a seam for tests: any CPU).</summary>
    /// <remarks>
    /// The backbone is asked first: a network without a bfloat16 path refuses an explicit bf16 as a usage error and
    /// sends auto to float32 without running the check. Then the CPU and the start-up check decide; auto also needs
    /// bf16 measured faster than fp32 (<see cref="Bf16Decision.WorthIt"/>), an explicit bf16 does not.
    /// </remarks>
    /// <exception cref="ArgumentException">bfloat16 was asked explicitly and the backbone or the CPU cannot give it.</exception>
    public static PrecisionChoice Resolve(ComputePrecision requested, IFeatureNetwork network, Func<Bf16Decision> bf16)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(bf16);
        if (requested == ComputePrecision.Float32)
        {
            return new PrecisionChoice(requested, ComputePrecision.Float32, "fp32 as asked");
        }

        if (!network.ComputesInBFloat16)
        {
            string why = $"the backbone {network.Description} has no bf16 path (VGG and ONNX graphs have)";
            return requested == ComputePrecision.BFloat16
                ? throw new ArgumentException($"--precision bf16: {why}; use --precision fp32 or auto")
                : new PrecisionChoice(requested, ComputePrecision.Float32, $"auto chose fp32: {why}");
        }

        Bf16Decision decision = bf16();
        if (!decision.Usable)
        {
            return requested == ComputePrecision.BFloat16
                ? throw new ArgumentException($"--precision bf16 refused: {decision.Reason}; use --precision fp32 or auto")
                : new PrecisionChoice(requested, ComputePrecision.Float32, $"auto chose fp32: {decision.Reason}");
        }

        // Native and right, but auto also wants it faster: on some CPUs bf16 convolutions are slower than fp32's.
        if (requested == ComputePrecision.Auto && !decision.WorthIt)
        {
            return new PrecisionChoice(requested, ComputePrecision.Float32, string.Create(CultureInfo.InvariantCulture, $"auto chose fp32: bf16 is not faster here ({decision.Reason}; auto needs {Bf16Guard.AutoSpeedup:0.0}x)"));
        }

        return new PrecisionChoice(requested, ComputePrecision.BFloat16, $"{(requested == ComputePrecision.Auto ? "auto chose bf16" : "bf16 as asked")}: {decision.Reason}");
    }
}
