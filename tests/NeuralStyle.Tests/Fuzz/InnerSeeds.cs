using System.Buffers.Binary;
using System.IO.Compression;

namespace NeuralStyle.Tests.Fuzz;

/// <summary>
/// Seeds whose mutations are meant for a part inside a container that would otherwise catch them first: the
/// decompressed bytes of a MAT file's compressed elements (zlib's checksum), and the pickle of a torch.save archive
/// (the zip's CRC). Each seed's <see cref="FuzzSeed.Wrap"/> puts the mutated part back.
/// </summary>
internal static class InnerSeeds
{
    /// <summary>One seed per miCOMPRESSED element of <paramref name="file"/>: its inflated bytes, re-compressed in place.</summary>
    public static IEnumerable<FuzzSeed> MatCompressedElements(string name, byte[] file)
    {
        bool bigEndian = file.Length >= 128 && file[126] == 'M';
        int index = 0;
        foreach ((int offset, int count) in CompressedElements(file, bigEndian))
        {
            byte[] inflated;
            using (var z = new ZLibStream(new MemoryStream(file, offset + 8, count), CompressionMode.Decompress))
            using (var copy = new MemoryStream())
            {
                z.CopyTo(copy);
                inflated = copy.ToArray();
            }

            int at = offset, length = count;
            yield return new FuzzSeed($"{name}#z{index++}", inflated, inner => Recompress(file, at, length, inner, bigEndian));
        }
    }

    /// <summary>The seed archive's data.pkl, to be mutated and stored back (uncompressed, as torch stores it).</summary>
    public static FuzzSeed Pickle(string name, byte[] archive)
    {
        using var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
        ZipArchiveEntry entry = zip.Entries.Single(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal));
        using Stream s = entry.Open();
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return new FuzzSeed($"{name}#data.pkl", copy.ToArray(), pickle => Rezip(archive, pickle));
    }

    private static byte[] Recompress(byte[] file, int offset, int count, byte[] inflated, bool bigEndian)
    {
        using var packed = new MemoryStream();
        using (var z = new ZLibStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(inflated);
        }

        byte[] tag = new byte[8];
        WriteUInt32(tag, 15, bigEndian);
        WriteUInt32(tag.AsSpan(4), (uint)packed.Length, bigEndian);
        return [.. file.AsSpan(0, offset), .. tag, .. packed.ToArray(), .. file.AsSpan(offset + 8 + count)];
    }

    private static void WriteUInt32(Span<byte> at, uint value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(at, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(at, value);
        }
    }

    /// <summary>Walks the top-level elements after the 128-byte header; miCOMPRESSED is type 15.</summary>
    private static List<(int Offset, int Count)> CompressedElements(byte[] data, bool bigEndian)
    {
        var found = new List<(int, int)>();
        int at = 128;
        while (at + 8 <= data.Length)
        {
            ReadOnlySpan<byte> tag = data.AsSpan(at, 8);
            uint type = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(tag) : BinaryPrimitives.ReadUInt32LittleEndian(tag);
            uint count = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(tag[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(tag[4..]);
            if ((long)at + 8 + count > data.Length)
            {
                break;
            }

            if (type == 15)
            {
                found.Add((at, (int)count));
            }

            at += 8 + (int)(type == 15 ? count : (count + 7) & ~7u);
        }

        return found;
    }

    /// <summary>The archive with its data.pkl replaced, every entry stored uncompressed in the original order.</summary>
    private static byte[] Rezip(byte[] archive, byte[] pickle)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (ZipArchiveEntry entry in source.Entries)
            {
                using Stream to = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                if (entry.FullName.EndsWith("/data.pkl", StringComparison.Ordinal))
                {
                    to.Write(pickle);
                }
                else
                {
                    using Stream from = entry.Open();
                    from.CopyTo(to);
                }
            }
        }

        return output.ToArray();
    }
}
