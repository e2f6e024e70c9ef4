using System.Buffers.Binary;
using System.IO.Compression;

namespace NeuralStyle.Tests.Support;

/// <summary>
/// Rewrites a little-endian MAT v5 file with every miCOMPRESSED element inflated in place, so that tests can damage
/// the raw weight bytes (as a flipped bit on disk does) and the reader still sees a valid file.
/// </summary>
public static class UncompressedMat
{
    private const int HeaderBytes = 128;
    private const uint Compressed = 15;

    public static byte[] Inflate(byte[] mat)
    {
        using var output = new MemoryStream();
        output.Write(mat, 0, HeaderBytes);
        int offset = HeaderBytes;
        while (offset < mat.Length)
        {
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(mat.AsSpan(offset));
            int size = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(mat.AsSpan(offset + 4)));
            if (type == Compressed)
            {
                // A compressed element holds one whole element (tag and data) as a zlib stream.
                using var zlib = new ZLibStream(new MemoryStream(mat, offset + 8, size), CompressionMode.Decompress);
                zlib.CopyTo(output);
                offset += 8 + size;
            }
            else
            {
                int padded = (size + 7) / 8 * 8;
                output.Write(mat, offset, 8 + padded);
                offset += 8 + padded;
            }
        }

        return output.ToArray();
    }

    /// <summary>The offset of the little-endian bytes of <paramref name="values"/> in <paramref name="data"/> (which must hold them once).</summary>
    public static int Find(byte[] data, ReadOnlySpan<float> values)
    {
        byte[] pattern = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray();
        int at = data.AsSpan().IndexOf(pattern);
        if (at < 0 || data.AsSpan(at + 1).IndexOf(pattern) >= 0)
        {
            throw new InvalidOperationException("the values are not in the file exactly once");
        }

        return at;
    }
}
