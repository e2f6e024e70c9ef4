namespace NeuralStyle.Tensors;

/// <summary>Checks on tensor sizes read from files, made before LibTorch sees them.</summary>
internal static class TensorShapes
{
    /// <summary>
    /// Whether LibTorch can describe a tensor of <paramref name="sizes"/>: it computes the element count and the
    /// contiguous strides as 64-bit products of the sizes (a 0 counted as 1 for the strides) and fails with a bare
    /// native error ("numel: integer multiplication overflow", "Stride calculation overflowed") when one overflows.
    /// The readers bound the element count of non-empty tensors by the data present; an empty tensor has no data to
    /// bound its other sizes, so a damaged [0, 2^62, 2^62] reached tensor creation (found by the fuzz test).
    /// </summary>
    public static bool IsAddressable(ReadOnlySpan<long> sizes)
    {
        long product = 1;
        foreach (long size in sizes)
        {
            long factor = Math.Max(size, 1);
            if (size < 0 || product > long.MaxValue / factor)
            {
                return false;
            }

            product *= factor;
        }

        return true;
    }
}
