using System.Numerics;

namespace NeuralStyle.Weights.Mat;

/// <summary>Reordering of MATLAB's column-major data into C (row-major) order over the same dimensions.</summary>
internal static class MatLayout
{
    /// <summary>
    /// Writes <paramref name="source"/> (column-major over <paramref name="dimensions"/>) into
    /// <paramref name="destination"/> in row-major order, converting each value.
    /// </summary>
    public static void ColumnToRowMajor<TSource, TTarget>(ReadOnlySpan<TSource> source, Span<TTarget> destination, int[] dimensions)
        where TSource : unmanaged, INumberBase<TSource>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        // Singleton dimensions change neither order, and dropping them often leaves a plain copy.
        int[] dims = dimensions.Where(d => d != 1).ToArray();
        if (source.IsEmpty)
        {
            return;
        }

        if (dims.Length <= 1)
        {
            Convert(source, destination);
            return;
        }

        if (dims.Length == 2)
        {
            Transpose2D(source, destination, dims[0], dims[1]);
            return;
        }

        TransposeND(source, destination, dims);
    }

    public static void Convert<TSource, TTarget>(ReadOnlySpan<TSource> source, Span<TTarget> destination)
        where TSource : unmanaged, INumberBase<TSource>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (typeof(TSource) == typeof(TTarget))
        {
            System.Runtime.InteropServices.MemoryMarshal.Cast<TSource, TTarget>(source).CopyTo(destination);
            return;
        }

        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = TTarget.CreateSaturating(source[i]);
        }
    }

    /// <summary>Blocked so that both sides stay in cache for large matrices.</summary>
    private static void Transpose2D<TSource, TTarget>(ReadOnlySpan<TSource> source, Span<TTarget> destination, int rows, int cols)
        where TSource : unmanaged, INumberBase<TSource>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        const int Block = 32;
        for (int r0 = 0; r0 < rows; r0 += Block)
        {
            int r1 = Math.Min(rows, r0 + Block);
            for (int c0 = 0; c0 < cols; c0 += Block)
            {
                int c1 = Math.Min(cols, c0 + Block);
                for (int r = r0; r < r1; r++)
                {
                    int d = (r * cols) + c0;
                    int s = r + (c0 * rows);
                    for (int c = c0; c < c1; c++, d++, s += rows)
                    {
                        destination[d] = TTarget.CreateSaturating(source[s]);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Row-major over N dimensions is column-major over the reversed dimensions, so this walks the destination
    /// in order with an odometer over the source's strides.
    /// </summary>
    private static void TransposeND<TSource, TTarget>(ReadOnlySpan<TSource> source, Span<TTarget> destination, int[] dims)
        where TSource : unmanaged, INumberBase<TSource>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        int nd = dims.Length;
        var stride = new long[nd];
        long s = 1;
        for (int k = 0; k < nd; k++)
        {
            stride[k] = s;
            s *= dims[k];
        }

        int inner = dims[nd - 1];
        long innerStride = stride[nd - 1];
        var index = new int[nd - 1];
        long baseOffset = 0;
        int d = 0;
        int outerCount = destination.Length / inner;
        for (int o = 0; o < outerCount; o++)
        {
            long offset = baseOffset;
            for (int j = 0; j < inner; j++, offset += innerStride)
            {
                destination[d++] = TTarget.CreateSaturating(source[(int)offset]);
            }

            for (int k = nd - 2; k >= 0; k--)
            {
                baseOffset += stride[k];
                if (++index[k] < dims[k])
                {
                    break;
                }

                baseOffset -= stride[k] * dims[k];
                index[k] = 0;
            }
        }
    }
}
