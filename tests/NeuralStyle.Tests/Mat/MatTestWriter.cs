using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace NeuralStyle.Tests.Mat;

/// <summary>
/// A tiny Level 5 writer for tests whose expected values are known in the test itself: large files for the
/// streaming checks and deliberately malformed elements. Each method returns an element's bytes.
/// </summary>
internal sealed class MatTestWriter(bool bigEndian = false)
{
    public const uint MiInt8 = 1, MiUInt8 = 2, MiInt32 = 5, MiUInt32 = 6, MiSingle = 7, MiDouble = 9;
    public const uint MiMatrix = 14, MiCompressed = 15;
    public const uint ClassCell = 1, ClassStruct = 2, ClassDouble = 6, ClassSingle = 7;

    public bool BigEndian => bigEndian;

    public byte[] Header(string text = "MATLAB 5.0 MAT-file, written by MatTestWriter")
    {
        var header = new byte[128];
        header.AsSpan(0, 116).Fill((byte)' ');
        Encoding.ASCII.GetBytes(text).CopyTo(header, 0);
        header.AsSpan(116, 8).Clear();
        WriteU16(header.AsSpan(124), 0x0100);
        header[126] = bigEndian ? (byte)'M' : (byte)'I';
        header[127] = bigEndian ? (byte)'I' : (byte)'M';
        return header;
    }

    public byte[] File(params byte[][] variables) => Concat([Header(), .. variables]);

    public byte[] U32(params uint[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            WriteU32(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    public byte[] I32(params int[] values) => U32(Array.ConvertAll(values, v => unchecked((uint)v)));

    /// <summary>A data element padded to 8 bytes; a small element when it fits and <paramref name="allowSmall"/>.</summary>
    public byte[] Element(uint type, byte[] data, bool allowSmall = true)
    {
        if (allowSmall && data.Length is > 0 and <= 4)
        {
            var small = new byte[8];
            WriteU32(small, ((uint)data.Length << 16) | type);
            data.CopyTo(small, 4);
            return small;
        }

        int padded = (data.Length + 7) & ~7;
        var element = new byte[8 + padded];
        WriteU32(element, type);
        WriteU32(element.AsSpan(4), (uint)data.Length);
        data.CopyTo(element, 8);
        return element;
    }

    /// <summary>A miMATRIX whose tag's byte count is <paramref name="lyingCount"/> when given.</summary>
    public byte[] Matrix(uint matClass, int[] dims, string name, byte[] payload, uint flags = 0, uint? lyingCount = null)
    {
        byte[] body = Concat(
            Element(MiUInt32, U32(matClass | flags, 0), allowSmall: false),
            Element(MiInt32, I32(dims), allowSmall: false),
            Element(MiInt8, Encoding.ASCII.GetBytes(name)),
            payload);
        return Concat(U32(MiMatrix, lyingCount ?? (uint)body.Length), body);
    }

    public byte[] Double(string name, int[] dims, double[] columnMajor)
    {
        var data = new byte[columnMajor.Length * 8];
        for (int i = 0; i < columnMajor.Length; i++)
        {
            ulong bits = BitConverter.DoubleToUInt64Bits(columnMajor[i]);
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(i * 8), bits);
            }
            else
            {
                BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(i * 8), bits);
            }
        }

        return Matrix(ClassDouble, dims, name, Element(MiDouble, data));
    }

    public byte[] Single(string name, int[] dims, float[] columnMajor)
    {
        var data = new byte[columnMajor.Length * 4];
        for (int i = 0; i < columnMajor.Length; i++)
        {
            WriteU32(data.AsSpan(i * 4), BitConverter.SingleToUInt32Bits(columnMajor[i]));
        }

        return Matrix(ClassSingle, dims, name, Element(MiSingle, data));
    }

    public byte[] Cell(string name, int[] dims, params byte[][] elements) =>
        Matrix(ClassCell, dims, name, Concat(elements));

    /// <summary>A 1x1 struct with the given fields and values.</summary>
    public byte[] Struct(string name, string[] fields, params byte[][] values)
    {
        const int FieldLength = 32;
        var names = new byte[fields.Length * FieldLength];
        for (int f = 0; f < fields.Length; f++)
        {
            Encoding.ASCII.GetBytes(fields[f]).CopyTo(names, f * FieldLength);
        }

        return Matrix(ClassStruct, [1, 1], name,
            Concat([Element(MiInt32, I32(FieldLength)), Element(MiInt8, names), .. values]));
    }

    public byte[] Compressed(byte[] element, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var packed = new MemoryStream();
        using (var zlib = new ZLibStream(packed, level, leaveOpen: true))
        {
            zlib.Write(element);
        }

        return Concat(U32(MiCompressed, (uint)packed.Length), packed.ToArray());
    }

    public static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => (long)p.Length)];
        int at = 0;
        foreach (byte[] part in parts)
        {
            part.CopyTo(result, at);
            at += part.Length;
        }

        return result;
    }

    private void WriteU32(Span<byte> target, uint value)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(target, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(target, value);
        }
    }

    private void WriteU16(Span<byte> target, ushort value)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(target, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(target, value);
        }
    }
}
