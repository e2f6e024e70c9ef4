namespace NeuralStyle.Kernels.Reference;

/// <summary>A dense row-major float64 array with a shape (NCHW for images), for the reference kernels.</summary>
/// <remarks>The reference kernels index with <see cref="int"/>, so a tensor holds at most <see cref="Array.MaxLength"/> elements.</remarks>
public sealed class HostTensor
{
    /// <summary>Wraps <paramref name="data"/> (not copied) with the shape <paramref name="shape"/> (copied).</summary>
    /// <exception cref="ArgumentException">A dimension is negative or <paramref name="data"/>'s length is not the product of the shape.</exception>
    public HostTensor(long[] shape, double[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = CountOf(shape);
        if (data.Length != count)
        {
            throw new ArgumentException($"shape {Format(shape)} has {count} elements but the data has {data.Length}", nameof(data));
        }

        Shape = (long[])shape.Clone();
        Data = data;
        Count = count;
    }

    /// <summary>A tensor of zeros with the shape <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the tensor would be too large.</exception>
    public HostTensor(params long[] shape)
        : this(shape, new double[CountOf(shape)])
    {
    }

    /// <summary>The size of each dimension, outermost first.</summary>
    public long[] Shape { get; }

    /// <summary>The elements in row-major (C) order.</summary>
    public double[] Data { get; }

    /// <summary>The number of elements, the product of <see cref="Shape"/> (1 for a 0-d tensor).</summary>
    public long Count { get; }

    /// <summary>A tensor of values drawn uniformly from [-1, 1) by <paramref name="random"/>, in row-major order.</summary>
    public static HostTensor Random(Random random, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = new HostTensor(shape);
        for (int i = 0; i < t.Data.Length; i++)
        {
            // NextDouble is in [0, 1), so this is in [-1, 1); the doubling is exact.
            t.Data[i] = (2 * random.NextDouble()) - 1;
        }

        return t;
    }

    /// <summary>The shape as PyTorch prints sizes in its messages, e.g. "[2, 3, 5, 5]".</summary>
    internal static string Format(long[] shape) => "[" + string.Join(", ", shape) + "]";

    private static long CountOf(long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"shape {Format(shape)} has a negative dimension", nameof(shape));
            }

            // Checked: a product past long.MaxValue would otherwise wrap to a small number and pass the size test.
            count = d == 0 ? 0 : checked(count * d);
            if (count > Array.MaxLength)
            {
                throw new ArgumentException($"shape {Format(shape)} has more than {Array.MaxLength} elements", nameof(shape));
            }
        }

        return count;
    }
}
