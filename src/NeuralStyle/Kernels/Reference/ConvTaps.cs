using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralStyle.Kernels.Reference;

/// <summary>The innermost loop of the reference convolutions: one kernel tap along one output (or input) row.</summary>
internal static class ConvTaps
{
    /// <summary>
    /// For t in [0, <paramref name="count"/>): <c>writeA[t] += w * readB[t * strideB]</c>, <c>writeB[t * strideB] += w * readA[t]</c>,
    /// and returns the sum of <c>readA[t] * readB[t * strideB]</c>.
    /// </summary>
    /// <remarks>
    /// conv2d passes (A = upstream / output row, B = input / input-gradient row): output += w x, dx += w dy, dw = Σ dy x.
    /// conv_transpose2d passes (A = input / input-gradient row, B = upstream / output row): dx += w dy, output += w x,
    /// dw = Σ x dy. The spans are cut to exactly the elements used, so one check per span replaces one per element; with
    /// stride 1 the loop runs on SIMD vectors (the sum is then taken in a different order, which float64 does not mind).
    /// </remarks>
    // Fully optimised from the first call: tiering would run a test's first convolutions in unoptimised tier-0 code
    // (it waits for 30 calls and a quiet 100 ms), where the vector loop is slowest.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Row(int count, ReadOnlySpan<double> readA, Span<double> writeA, ReadOnlySpan<double> readB, Span<double> writeB, int strideB, double w)
    {
        int n = count;
        if (n == 0)
        {
            return 0;
        }

        // Cut every span to its used length: out-of-range rows fail here, and the JIT can drop the per-element checks.
        readA = readA[..n];
        writeA = writeA[..n];
        int spanB = ((n - 1) * strideB) + 1;
        readB = readB[..spanB];
        writeB = writeB[..spanB];
        double dw = 0;
        int t = 0;
        if (strideB == 1)
        {
            int width = Vector<double>.Count;
            if (Vector.IsHardwareAccelerated && n >= width)
            {
                var wv = new Vector<double>(w);
                Vector<double> acc = Vector<double>.Zero;
                for (; t <= n - width; t += width)
                {
                    var a = new Vector<double>(readA[t..]);
                    var b = new Vector<double>(readB[t..]);
                    (new Vector<double>(writeA[t..]) + (wv * b)).CopyTo(writeA[t..]);
                    (new Vector<double>(writeB[t..]) + (wv * a)).CopyTo(writeB[t..]);
                    acc += a * b;
                }

                dw = Vector.Sum(acc);
            }

            for (; t < n; t++)
            {
                double a = readA[t], b = readB[t];
                writeA[t] += w * b;
                writeB[t] += w * a;
                dw += a * b;
            }

            return dw;
        }

        for (int k = 0; t < n; t++, k += strideB)
        {
            double a = readA[t], b = readB[k];
            writeA[t] += w * b;
            writeB[k] += w * a;
            dw += a * b;
        }

        return dw;
    }
}
