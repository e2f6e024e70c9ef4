using static TorchSharp.torch;

namespace NeuralStyle.Kernels;

/// <summary>Runs <see cref="KernelCase"/>s through LibTorch, in the configuration it is in now, and compares them with float64.</summary>
public static class KernelCheck
{
    /// <summary>Checks one case.</summary>
    public static KernelCheckResult Run(KernelCase kernelCase, KernelCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kernelCase);
        options ??= new KernelCheckOptions();
        IReadOnlyDictionary<string, double[]> reference = kernelCase.Reference;
        IReadOnlyDictionary<string, double[]> magnitudes = kernelCase.Magnitudes;
        var worst = new Dictionary<string, KernelComparison>(StringComparer.Ordinal);
        for (int repeat = 0; repeat < Math.Max(1, options.Repeats); repeat++)
        {
            if (options.PoisonMemory)
            {
                PoisonFreedMemory(kernelCase.AllocationSizes);
            }

            using var scope = NewDisposeScope();
            using var grad = enable_grad();
            foreach ((string output, Tensor result) in kernelCase.Evaluate())
            {
                Tensor checkedResult = options.Fault?.Invoke(kernelCase, output, result) ?? result;
                KernelComparison comparison = Compare(output, checkedResult, reference[output], magnitudes.GetValueOrDefault(output));
                if (!worst.TryGetValue(output, out KernelComparison? previous) || IsWorse(comparison, previous))
                {
                    worst[output] = comparison;
                }
            }
        }

        return new KernelCheckResult(kernelCase.Name, kernelCase.Operation, [.. reference.Keys.Select(k => worst[k])], Math.Max(1, options.Repeats), options.Tolerance);
    }

    /// <summary>Checks every case, in order.</summary>
    public static IReadOnlyList<KernelCheckResult> Run(IEnumerable<KernelCase> cases, KernelCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cases);
        return [.. cases.Select(c => Run(c, options))];
    }

    /// <summary>
    /// max |ours - reference| / max scale, and whether ours has a non-finite value. The scale is the sum of |terms|
    /// where the case gives it (<see cref="KernelCase.Magnitudes"/>), else |reference|.
    /// </summary>
    public static KernelComparison Compare(string output, Tensor ours, double[] reference, double[]? magnitude = null)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(reference);
        float[] values = ours.detach().contiguous().to(ScalarType.Float32).data<float>().ToArray();
        if (values.Length != reference.Length)
        {
            return new KernelComparison(output, double.PositiveInfinity, NonFinite: false);
        }

        double maxDiff = 0, maxRef = 0;
        bool nonFinite = false;
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                nonFinite = true;
                continue;
            }

            maxDiff = Math.Max(maxDiff, Math.Abs(values[i] - reference[i]));
            maxRef = Math.Max(maxRef, magnitude is null ? Math.Abs(reference[i]) : Math.Max(magnitude[i], Math.Abs(reference[i])));
        }

        return new KernelComparison(output, maxRef > 0 ? maxDiff / maxRef : maxDiff, nonFinite);
    }

    private static bool IsWorse(KernelComparison candidate, KernelComparison current) =>
        (candidate.NonFinite && !current.NonFinite) || (candidate.NonFinite == current.NonFinite && candidate.RelativeError > current.RelativeError);

    // LibTorch's CPU allocator takes memory from malloc; a block freed here is likely handed to the next allocation of
    // the same size, so a kernel that reads an output or scratch buffer before writing it then reads NaN.
    private static void PoisonFreedMemory(IReadOnlyList<long> sizes)
    {
        using var noGrad = no_grad();
        Tensor[] poison = [.. sizes.Where(s => s > 0).Select(size => full([size], float.NaN, ScalarType.Float32))];
        foreach (Tensor block in poison)
        {
            block.Dispose();
        }
    }
}
