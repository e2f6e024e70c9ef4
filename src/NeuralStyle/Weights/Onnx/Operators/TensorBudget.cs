namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>Limits on tensors whose size comes from the file's attributes rather than from the input.</summary>
/// <remarks>
/// Padding and transposed convolution are the operators that can make a tensor far larger than their input.
/// A damaged or hostile file must not be able to exhaust memory with them (the graph is evaluated once while it
/// is built), so their output size is checked before anything is allocated.
/// </remarks>
internal static class TensorBudget
{
    /// <summary>No tensor larger than this many elements (8 GiB of float32) is ever made.</summary>
    public const double MaxElements = 1L << 31;

    /// <summary>Padding may grow a tensor to 16 times its size, or to this many elements when that is more.</summary>
    public const double PaddingFloor = 1L << 24;

    /// <summary>Rejects padding that would turn <paramref name="input"/> elements into <paramref name="output"/>.</summary>
    public static void CheckPadding(double input, double output)
    {
        if (output > MaxElements || output > Math.Max(16 * input, PaddingFloor))
        {
            throw new InvalidOperationException($"padding would grow the tensor from {input:0} to {output:0} elements");
        }
    }

    /// <summary>Rejects an output of more than <see cref="MaxElements"/> elements.</summary>
    public static void CheckOutput(double output, string what)
    {
        if (output > MaxElements)
        {
            throw new InvalidOperationException($"{what} would have {output:0} elements");
        }
    }

    /// <summary>The product of the sizes, in double so that it cannot overflow.</summary>
    public static double Elements(IEnumerable<long> shape) => shape.Aggregate(1.0, (p, d) => p * d);
}
