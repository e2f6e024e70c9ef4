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

    /// <summary>
    /// Row-major order over N dimensions is column-major order over the reversed dimensions. The first axis is
    /// contiguous in the source and the last in the destination, so for each index of the middle axes this is
    /// a 2-D transpose between those two, done in tiles so that both sides stay in cache; the middle indices
    /// go first-axis-fastest so that consecutive ones read neighbouring source bytes. (A plain strided walk is
    /// about 30% slower on a VGG fc6 kernel, where the first axis is only 7 long.)
    /// </summary>
    private static void TransposeND<TSource, TTarget>(ReadOnlySpan<TSource> source, Span<TTarget> destination, int[] dims)
        where TSource : unmanaged, INumberBase<TSource>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        const int Tile = 32;
        int nd = dims.Length;
        int first = dims[0];
        int last = dims[nd - 1];

        // Column-major strides (source) and row-major strides (destination) of every axis.
        var sourceStride = new long[nd];
        var targetStride = new long[nd];
        sourceStride[0] = 1;
        targetStride[nd - 1] = 1;
        for (int k = 1; k < nd; k++)
        {
            sourceStride[k] = sourceStride[k - 1] * dims[k - 1];
            targetStride[nd - 1 - k] = targetStride[nd - k] * dims[nd - k];
        }

        long lastStride = sourceStride[nd - 1];
        long firstStride = targetStride[0];
        var middle = new int[nd];
        long middleCount = source.Length / ((long)first * last);
        long sourceBase = 0;
        long targetBase = 0;
        for (long m = 0; m < middleCount; m++)
        {
            for (int b = 0; b < last; b += Tile)
            {
                int bEnd = Math.Min(last, b + Tile);
                for (int a = 0; a < first; a += Tile)
                {
                    int aEnd = Math.Min(first, a + Tile);
                    for (int j = b; j < bEnd; j++)
                    {
                        int s = (int)(sourceBase + a + (j * lastStride));
                        long d = targetBase + (a * firstStride) + j;
                        for (int i = a; i < aEnd; i++, s++, d += firstStride)
                        {
                            destination[(int)d] = TTarget.CreateSaturating(source[s]);
                        }
                    }
                }
            }

            for (int k = 1; k <= nd - 2; k++)
            {
                sourceBase += sourceStride[k];
                targetBase += targetStride[k];
                if (++middle[k] < dims[k])
                {
                    break;
                }

                sourceBase -= sourceStride[k] * dims[k];
                targetBase -= targetStride[k] * dims[k];
                middle[k] = 0;
            }
        }
    }
}
