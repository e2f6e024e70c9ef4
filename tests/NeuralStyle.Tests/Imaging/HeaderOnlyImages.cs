using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SkiaSharp;

namespace NeuralStyle.Tests.Imaging;

/// <summary>
/// Small image files whose headers claim a size their data does not have: a few hundred bytes that say 100000x100000.
/// Reading the header works; decoding would run out of data ("truncated") long before the claimed size.
/// </summary>
internal static class HeaderOnlyImages
{
    /// <summary>An 8-bit RGB PNG whose IHDR says <paramref name="width"/> x <paramref name="height"/>; its only IDAT holds two short rows, and there is no IEND.</summary>
    public static byte[] Png(int width, int height)
    {
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type RGB; compression, filter and interlace 0
        Chunk(file, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // Two rows of at most 64 pixels: filter byte 0, then black.
            zlib.Write(new byte[2 * (1 + (3 * Math.Min(width, 64)))]);
        }

        Chunk(file, "IDAT", compressed.ToArray());
        return file.ToArray();
    }

    /// <summary>A baseline JPEG of 16x16 pixels whose frame header (SOF0) is rewritten to say <paramref name="width"/> x <paramref name="height"/> (at most 65500, libjpeg's limit).</summary>
    public static byte[] Jpeg(int width, int height)
    {
        using var bitmap = new SKBitmap(16, 16);
        bitmap.Erase(new SKColor(200, 100, 50));
        using SKData encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        byte[] jpeg = encoded.ToArray();
        // SOF0: FF C0, length (2), precision (1), height (2), width (2).
        int sof = Enumerable.Range(0, jpeg.Length - 1).First(i => jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), checked((ushort)height));
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), checked((ushort)width));
        return jpeg;
    }

    private static void Chunk(Stream file, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        file.Write(length);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        file.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        file.Write(crc);
    }

    // PNG's CRC-32 (ISO 3309, polynomial 0xEDB88320), bit by bit: the files are tiny.
    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
