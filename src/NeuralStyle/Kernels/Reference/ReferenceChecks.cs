namespace NeuralStyle.Kernels.Reference;

/// <summary>Argument checks and index arithmetic shared by the reference kernels.</summary>
internal static class ReferenceChecks
{
    /// <summary>Floor division for a positive divisor (C#'s / truncates toward zero, which is wrong for negative numerators).</summary>
    public static long FloorDiv(long numerator, long divisor)
    {
        long q = numerator / divisor;
        return (numerator % divisor != 0 && numerator < 0) ? q - 1 : q;
    }

    /// <summary>Ceiling division for a positive divisor.</summary>
    public static long CeilDiv(long numerator, long divisor) => -FloorDiv(-numerator, divisor);

    /// <summary>
    /// The indices t in [0, count) for which t * stride - pad + offset falls in [0, size), as [Lo, Hi). This is how the
    /// convolution loops avoid testing every tap: for a fixed kernel tap (offset = tap * dilation) the positions that
    /// read a real (not padding) element form one contiguous run.
    /// </summary>
    public static (int Lo, int Hi) ValidRange(int count, int size, int stride, int pad, int offset)
    {
        long lo = Math.Max(0, CeilDiv((long)pad - offset, stride));
        long hi = Math.Min(count, FloorDiv((long)size - 1 + pad - offset, stride) + 1);
        return ((int)lo, (int)Math.Max(lo, hi));
    }

    public static void RequireRank(HostTensor t, int rank, string what, string paramName)
    {
        ArgumentNullException.ThrowIfNull(t, paramName);
        if (t.Shape.Length != rank)
        {
            throw new ArgumentException($"{what} must have {rank} dimensions, but has shape {HostTensor.Format(t.Shape)}", paramName);
        }
    }

    public static void RequireShape(HostTensor t, long[] shape, string what, string paramName)
    {
        ArgumentNullException.ThrowIfNull(t, paramName);
        if (!t.Shape.AsSpan().SequenceEqual(shape))
        {
            throw new ArgumentException($"{what} must have shape {HostTensor.Format(shape)}, but has shape {HostTensor.Format(t.Shape)}", paramName);
        }
    }

    public static void RequirePositive((int H, int W) pair, string what, string paramName)
    {
        if (pair.H <= 0 || pair.W <= 0)
        {
            throw new ArgumentException($"{what} must be greater than zero, but is ({pair.H}, {pair.W})", paramName);
        }
    }

    public static void RequireNonNegative((int H, int W) pair, string what, string paramName)
    {
        if (pair.H < 0 || pair.W < 0)
        {
            throw new ArgumentException($"{what} must not be negative, but is ({pair.H}, {pair.W})", paramName);
        }
    }

    /// <summary>Converts a checked size to int (every HostTensor has at most Array.MaxLength elements, so dimensions fit).</summary>
    public static int Int(long value) => checked((int)value);
}
