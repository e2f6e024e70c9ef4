using NeuralStyle.Kernels.Reference;
using static TorchSharp.torch;

namespace NeuralStyle.Kernels;

/// <summary>
/// One native kernel at one shape: how LibTorch computes it in float32 (forward and gradients) and what the float64
/// reference (<see cref="NeuralStyle.Kernels.Reference"/>, plain managed loops) says it should be.
/// </summary>
/// <remarks>
/// Inputs are random but reproducible (a seed per case) and rounded to float32 first, so that both sides see exactly
/// the same numbers and the only difference left is the arithmetic. Gradients are those of sum(output * upstream)
/// for a random upstream tensor, so every element of every gradient is exercised.
/// </remarks>
public abstract class KernelCase
{
    private IReadOnlyDictionary<string, double[]>? _reference;
    private IReadOnlyDictionary<string, double[]>? _magnitudes;

    /// <summary>Creates a case whose random inputs come from <paramref name="seed"/>.</summary>
    protected KernelCase(int seed) => Seed = seed;

    /// <summary>What the case computes, with its shapes ("conv2d x[2,24,14,14] w[64,24,3,3] pad 1").</summary>
    public abstract string Name { get; }

    /// <summary>The operation's family ("conv2d", "max_pool2d", ...), for grouping in reports.</summary>
    public abstract string Operation { get; }

    /// <summary>Seed of the random inputs.</summary>
    public int Seed { get; }

    /// <summary>The float64 reference outputs by name ("output", "input gradient", ...), computed once.</summary>
    public IReadOnlyDictionary<string, double[]> Reference => _reference ??= ComputeReference();

    /// <summary>
    /// For outputs that are sums, the same sums over the absolute values of their terms (by output name; others are
    /// absent). A float32 sum is accurate relative to the size of its terms, not of its result: a bias gradient whose
    /// terms cancel to nearly zero has a large error relative to itself and is still right. Errors are measured
    /// against these magnitudes where given.
    /// </summary>
    public IReadOnlyDictionary<string, double[]> Magnitudes => _magnitudes ??= ComputeMagnitudes();

    /// <summary>Element counts of the tensors LibTorch allocates for this case (outputs and gradients), for NaN pre-filling.</summary>
    public abstract IReadOnlyList<long> AllocationSizes { get; }

    /// <summary>Runs LibTorch in float32 and returns the tensors to compare, by the names of <see cref="Reference"/>.</summary>
    /// <remarks>Called inside a dispose scope with gradients enabled; the tensors may be views of autograd results.</remarks>
    public abstract IReadOnlyDictionary<string, Tensor> Evaluate();

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Computes the float64 reference outputs.</summary>
    protected abstract IReadOnlyDictionary<string, double[]> ComputeReference();

    /// <summary>Computes <see cref="Magnitudes"/>; none by default (errors relative to the largest reference value).</summary>
    protected virtual IReadOnlyDictionary<string, double[]> ComputeMagnitudes() => new Dictionary<string, double[]>(StringComparer.Ordinal);

    /// <summary>The results of a layer with a weight and an optional bias, under the names every case uses.</summary>
    protected static Dictionary<string, T> LayerResults<T>(T output, T inputGradient, T weightGradient, T? biasGradient)
        where T : class
    {
        var results = new Dictionary<string, T>(StringComparer.Ordinal)
        {
            ["output"] = output,
            ["input gradient"] = inputGradient,
            ["weight gradient"] = weightGradient,
        };
        if (biasGradient is not null)
        {
            results["bias gradient"] = biasGradient;
        }

        return results;
    }

    /// <summary>A copy of <paramref name="host"/> with every value replaced by its absolute value.</summary>
    protected static HostTensor Abs(HostTensor host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new HostTensor(host.Shape, [.. host.Data.Select(Math.Abs)]);
    }

    /// <summary>Random values uniform in [-1, 1), rounded to float32 (see the class remarks).</summary>
    protected static HostTensor RandomInput(Random random, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        HostTensor t = HostTensor.Random(random, shape);
        double[] data = t.Data;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)data[i];
        }

        return t;
    }

    /// <summary>A float32 tensor holding <paramref name="host"/>'s values (exact: they are float32 values).</summary>
    protected static Tensor ToTorch(HostTensor host, bool requiresGrad)
    {
        ArgumentNullException.ThrowIfNull(host);
        float[] values = new float[host.Data.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)host.Data[i];
        }

        Tensor t = tensor(values, host.Shape, ScalarType.Float32);
        return requiresGrad ? t.requires_grad_() : t;
    }

    /// <summary>A float32 tensor of the given values and shape.</summary>
    protected static Tensor ToTorch(double[] values, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        return tensor(values.Select(v => (float)v).ToArray(), shape, ScalarType.Float32);
    }

    /// <summary>Compact shape text: [2,24,14,14].</summary>
    protected static string Shape(params long[] shape) => "[" + string.Join(",", shape) + "]";
}
