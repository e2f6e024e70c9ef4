using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralStyle.Weights.Mat;

/// <summary>
/// Bulk decoding of numeric element data straight into typed arrays: the stored type may be narrower than the
/// target (MATLAB stores integer-valued doubles as uint8 and the like), and the file may be big-endian.
/// </summary>
internal static class MatNumericDecoder
{
    /// <summary>Staging buffer size for converting reads; big enough to amortise calls, small enough for L2.</summary>
    private const int ChunkBytes = 1 << 16;

    /// <summary>Reads <paramref name="count"/> values stored as <paramref name="stored"/> and converts them.</summary>
    public static T[] ReadArray<T>(MatSource source, MatDataType stored, int count)
        where T : unmanaged, INumberBase<T>
    {
        if (count == 0)
        {
            return [];
        }

        long bytes = (long)count * MatDataTypes.NumericSize(stored);
        if (source.CanAllocateUpfront(bytes))
        {
            T[] direct = GC.AllocateUninitializedArray<T>(count);
            ReadInto(source, stored, direct.AsSpan());
            return direct;
        }

        // Nothing proves the data is there: grow with it, so that a lying length runs out of input long before
        // it runs the process out of memory.
        int initial = (int)Math.Clamp(MatSource.UnprovenAllocationFloor / Unsafe.SizeOf<T>(), 1, count);
        T[] grown = new T[initial];
        int filled = 0;
        while (true)
        {
            ReadInto(source, stored, grown.AsSpan(filled));
            filled = grown.Length;
            if (filled == count)
            {
                return grown;
            }

            Array.Resize(ref grown, (int)Math.Min(count, (long)grown.Length * 2));
        }
    }

    /// <summary>Reads raw bytes (names, UTF-8 text) under the same allocation policy.</summary>
    public static byte[] ReadBytes(MatSource source, long count)
    {
        if (count > Array.MaxLength)
        {
            throw source.Error(source.Position, $"element of {count} bytes is too large to hold in memory");
        }

        return ReadArray<byte>(source, MatDataType.UInt8, (int)count);
    }

    /// <summary>Fills <paramref name="destination"/> with values stored as <paramref name="stored"/>.</summary>
    public static void ReadInto<T>(MatSource source, MatDataType stored, Span<T> destination)
        where T : unmanaged, INumberBase<T>
    {
        switch (stored)
        {
            case MatDataType.Int8: ReadConverted<sbyte, T>(source, destination); break;
            case MatDataType.UInt8: ReadConverted<byte, T>(source, destination); break;
            case MatDataType.Int16: ReadConverted<short, T>(source, destination); break;
            case MatDataType.UInt16: ReadConverted<ushort, T>(source, destination); break;
            case MatDataType.Int32: ReadConverted<int, T>(source, destination); break;
            case MatDataType.UInt32: ReadConverted<uint, T>(source, destination); break;
            case MatDataType.Single: ReadConverted<float, T>(source, destination); break;
            case MatDataType.Double: ReadConverted<double, T>(source, destination); break;
            case MatDataType.Int64: ReadConverted<long, T>(source, destination); break;
            case MatDataType.UInt64: ReadConverted<ulong, T>(source, destination); break;
            default: throw new ArgumentOutOfRangeException(nameof(stored), stored, "not a numeric element type");
        }
    }

    private static void ReadConverted<TSource, TTarget>(MatSource source, Span<TTarget> destination)
        where TSource : unmanaged, INumberBase<TSource>
        where TTarget : unmanaged, INumberBase<TTarget>
    {
        if (typeof(TSource) == typeof(TTarget))
        {
            // The common case (single-precision weights stored as single): one read into the array itself.
            Span<byte> bytes = MemoryMarshal.AsBytes(destination);
            source.ReadExactly(bytes);
            if (source.NeedsSwap)
            {
                ReverseEndianness(bytes, Unsafe.SizeOf<TTarget>());
            }

            return;
        }

        int perChunk = ChunkBytes / Unsafe.SizeOf<TSource>();
        byte[] staging = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (int start = 0; start < destination.Length; start += perChunk)
            {
                int n = Math.Min(perChunk, destination.Length - start);
                Span<byte> chunk = staging.AsSpan(0, n * Unsafe.SizeOf<TSource>());
                source.ReadExactly(chunk);
                if (source.NeedsSwap)
                {
                    ReverseEndianness(chunk, Unsafe.SizeOf<TSource>());
                }

                ReadOnlySpan<TSource> values = MemoryMarshal.Cast<byte, TSource>(chunk);
                Span<TTarget> target = destination.Slice(start, n);
                for (int i = 0; i < values.Length; i++)
                {
                    target[i] = TTarget.CreateSaturating(values[i]);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(staging);
        }
    }

    private static void ReverseEndianness(Span<byte> bytes, int size)
    {
        switch (size)
        {
            case 2:
                Span<ushort> shorts = MemoryMarshal.Cast<byte, ushort>(bytes);
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                Span<uint> words = MemoryMarshal.Cast<byte, uint>(bytes);
                BinaryPrimitives.ReverseEndianness(words, words);
                break;
            case 8:
                Span<ulong> longs = MemoryMarshal.Cast<byte, ulong>(bytes);
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
        }
    }
}
