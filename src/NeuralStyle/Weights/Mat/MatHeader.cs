using System.Buffers.Binary;
using System.Text;

namespace NeuralStyle.Weights.Mat;

/// <summary>The 128-byte Level 5 header, and recognition of the MAT variants this reader refuses.</summary>
internal sealed record MatHeader(string Text, bool BigEndian, long? SubsystemOffset)
{
    public const int Length = 128;

    private const string ResaveHint =
        "re-save it as a Level 5 MAT-file: save('file.mat', '-v7') in MATLAB or save -v7 file.mat in Octave";

    private static ReadOnlySpan<byte> Hdf5Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', (byte)'\r', (byte)'\n', 0x1A, (byte)'\n'];

    /// <summary>Reads the header at the source's position, refusing files that are not Level 5 MAT-files.</summary>
    public static MatHeader Read(MatSource source)
    {
        Span<byte> header = stackalloc byte[Length];
        int got = source.ReadAvailable(header);
        header = header[..got];
        if (got == 0)
        {
            throw source.Error(0, "the file is empty, not a MAT-file");
        }

        if (header.StartsWith(Hdf5Signature))
        {
            throw source.Error(0, $"this is an HDF5 file (as Octave's save -hdf5 writes), not a Level 5 MAT-file; {ResaveHint}");
        }

        if (got >= 4 && header[..4].Contains((byte)0))
        {
            throw source.Error(0, LooksLikeLevel4(header)
                ? $"this is a Level 4 MAT-file (MATLAB 4 format), which is not supported; {ResaveHint}"
                : "not a MAT-file: it starts with binary data that is neither a Level 5 header nor a Level 4 matrix header");
        }

        if (got < Length)
        {
            throw source.Error(got, $"not a MAT-file or truncated: a Level 5 MAT-file starts with a {Length}-byte header, but there are only {got} bytes");
        }

        string text = Encoding.Latin1.GetString(header[..116]).TrimEnd('\0', ' ');
        bool isV73Text = text.StartsWith("MATLAB 7.3 MAT-file", StringComparison.Ordinal);
        bool bigEndian;
        if (header[126] == 'I' && header[127] == 'M')
        {
            bigEndian = false;
        }
        else if (header[126] == 'M' && header[127] == 'I')
        {
            bigEndian = true;
        }
        else if (isV73Text)
        {
            throw V73(source);
        }
        else
        {
            throw source.Error(126, $"not a MAT-file: the endian indicator is 0x{header[126]:X2}{header[127]:X2}, not 'IM' or 'MI'");
        }

        ushort version = bigEndian
            ? BinaryPrimitives.ReadUInt16BigEndian(header[124..])
            : BinaryPrimitives.ReadUInt16LittleEndian(header[124..]);
        if (version == 0x0200 || isV73Text)
        {
            throw V73(source);
        }

        if (version != 0x0100)
        {
            throw source.Error(124, $"unsupported MAT-file version 0x{version:X4} (Level 5 files have 0x0100)");
        }

        return new MatHeader(text, bigEndian, ReadSubsystemOffset(header[116..124], bigEndian));
    }

    private static MatFileException V73(MatSource source) =>
        source.Error(0, "this is a MATLAB v7.3 MAT-file (HDF5-based), which is not supported; "
            + "re-save it in MATLAB with save('file.mat', '-v7') (or -v6 for no compression)");

    /// <summary>
    /// A Level 4 file starts with a matrix header whose first int32 is MOPT (M: byte order 0-4, O: 0,
    /// P: precision 0-5, T: type 0-2) in either byte order; anything else with a zero byte is just not a MAT-file.
    /// </summary>
    private static bool LooksLikeLevel4(ReadOnlySpan<byte> header)
    {
        if (header.Length < 20)
        {
            return false;
        }

        return Plausible(BinaryPrimitives.ReadInt32LittleEndian(header)) || Plausible(BinaryPrimitives.ReadInt32BigEndian(header));

        static bool Plausible(int mopt) =>
            mopt is >= 0 and < 5000 && (mopt / 100 % 10) == 0 && (mopt / 10 % 10) <= 5 && (mopt % 10) <= 2;
    }

    /// <summary>MATLAB writes all spaces or all zeros when there is no subsystem data.</summary>
    private static long? ReadSubsystemOffset(ReadOnlySpan<byte> field, bool bigEndian)
    {
        bool unused = true;
        foreach (byte b in field)
        {
            unused &= b is 0 or (byte)' ';
        }

        if (unused)
        {
            return null;
        }

        ulong value = bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(field) : BinaryPrimitives.ReadUInt64LittleEndian(field);
        return value > long.MaxValue ? null : (long)value;
    }
}
