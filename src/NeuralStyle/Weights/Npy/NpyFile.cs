using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using NeuralStyle.Tensors;
using static TorchSharp.torch;

namespace NeuralStyle.Weights.Npy;

/// <summary>Reads and writes NumPy .npy files (format versions 1.0, 2.0 and 3.0).</summary>
/// <remarks>
/// Reading accepts C-order little-endian arrays of float32 ('&lt;f4'), float64 ('&lt;f8'), float16 ('&lt;f2'), int64 ('&lt;i8'),
/// int32 ('&lt;i4') and uint8 ('|u1') and converts every element to float32: float64 values are rounded to the nearest
/// float32, and integers above 2^24 in magnitude lose their low bits. Writing always produces version 1.0, '&lt;f4', C order,
/// with the header padded to a multiple of 64 bytes as numpy 1.24 pads it.
/// </remarks>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    // numpy refuses headers beyond this by default (max_header_size); a longer one is not a header numpy wrote.
    private const int MaxHeaderLength = 10_000;

    // numpy 1.24 leaves room for the first axis to grow to 21 digits when it writes a header.
    private const int GrowthAxisMaxDigits = 21;

    private const int Alignment = 64;

    private const int ChunkBytes = 1 << 20;

    /// <summary>Reads the array in <paramref name="path"/>, converting its elements to float32.</summary>
    /// <exception cref="NpyFormatException">The file is not a .npy file this reader supports; the message names the file and the problem.</exception>
    public static NpyArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Read(stream, path);
    }

    /// <summary>Reads an array from <paramref name="stream"/>, which must be seekable (its length bounds the data); <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="NpyFormatException">The stream does not hold a .npy array this reader supports.</exception>
    public static NpyArray Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        long available = stream.Length - stream.Position;
        (NpyHeader header, int preamble) = ReadHeader(stream, sourceName, available);
        if (header.FortranOrder)
        {
            throw new NpyFormatException(sourceName, "fortran_order is True; only C-order arrays are supported (re-save with np.ascontiguousarray)");
        }

        NpyDtype dtype = NpyDtype.Find(header.Descr, out string? reason) ?? throw new NpyFormatException(sourceName, reason!);
        long dataBytes = available - preamble;
        long count = CheckedCount(header.Shape, dtype.ItemSize, dataBytes, sourceName);
        if (count * dtype.ItemSize != dataBytes)
        {
            throw new NpyFormatException(sourceName, $"the shape ({string.Join(", ", header.Shape)}) of '{header.Descr}' needs {count * dtype.ItemSize} bytes of data, the file has {dataBytes}");
        }

        var data = new float[count];
        byte[] buffer = new byte[(int)Math.Min(Math.Max(dataBytes, 1), ChunkBytes - (ChunkBytes % dtype.ItemSize))];
        long done = 0;
        while (done < count)
        {
            int items = (int)Math.Min(count - done, buffer.Length / dtype.ItemSize);
            Span<byte> chunk = buffer.AsSpan(0, items * dtype.ItemSize);
            ReadExactly(stream, chunk, sourceName);
            dtype.Decode(chunk, data.AsSpan((int)done, items));
            done += items;
        }

        return new NpyArray([.. header.Shape], data);
    }

    /// <summary>Writes <paramref name="data"/> with <paramref name="shape"/> as a version 1.0 '&lt;f4' C-order file, through a temporary file renamed into place.</summary>
    /// <exception cref="ArgumentException">The shape has a negative dimension or its product is not the data length.</exception>
    public static void Write(string path, ReadOnlySpan<float> data, IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(shape);
        long product = 1;
        foreach (long d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            product = d == 0 || product == 0 ? 0 : checked(product * d);
        }

        if (product != data.Length)
        {
            throw new ArgumentException($"the shape ({string.Join(", ", shape)}) holds {product} elements, the data has {data.Length}", nameof(shape));
        }

        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Header(shape));
                byte[] buffer = new byte[Math.Min(data.Length * 4, ChunkBytes)];
                for (int start = 0; start < data.Length; start += buffer.Length / 4)
                {
                    int items = Math.Min(data.Length - start, buffer.Length / 4);
                    for (int i = 0; i < items; i++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(4 * i), data[start + i]);
                    }

                    stream.Write(buffer, 0, items * 4);
                }
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Reads <paramref name="path"/> as a float32 CPU tensor of the file's shape.</summary>
    /// <exception cref="NpyFormatException">The file is not a .npy file this reader supports.</exception>
    public static Tensor ReadTensor(string path)
    {
        NpyArray array = Read(path);
        return tensor(array.Data, array.Shape, ScalarType.Float32);
    }

    /// <summary>Writes <paramref name="t"/> as float32 (converted and made contiguous on the CPU first).</summary>
    public static void WriteTensor(string path, Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        using var _ = NewDisposeScope();
        Tensor cpu = t.detach().to(ScalarType.Float32, CPU).contiguous();
        Write(path, cpu.data<float>().ToArray(), cpu.shape);
    }

    /// <summary>The version 1.0 preamble numpy 1.24 writes for a C-order '&lt;f4' array of <paramref name="shape"/>.</summary>
    internal static byte[] Header(IReadOnlyList<long> shape)
    {
        string tuple = shape.Count == 1
            ? $"({shape[0].ToString(CultureInfo.InvariantCulture)},)"
            : $"({string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))})";
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {tuple}, }}";
        if (shape.Count > 0)
        {
            dict += new string(' ', Math.Max(0, GrowthAxisMaxDigits - shape[0].ToString(CultureInfo.InvariantCulture).Length));
        }

        int length = dict.Length + 1;
        int padding = Alignment - ((Magic.Length + 2 + 2 + length) % Alignment);
        byte[] bytes = new byte[Magic.Length + 4 + length + padding];
        Magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), checked((ushort)(length + padding)));
        Encoding.ASCII.GetBytes(dict, bytes.AsSpan(10));
        bytes.AsSpan(10 + dict.Length, padding).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    private static (NpyHeader Header, int Preamble) ReadHeader(Stream stream, string sourceName, long available)
    {
        Span<byte> start = stackalloc byte[12];
        if (available < 10)
        {
            throw new NpyFormatException(sourceName, $"the file has {available} bytes, too few for a .npy header");
        }

        ReadExactly(stream, start[..8], sourceName);
        if (!start[..6].SequenceEqual(Magic))
        {
            throw new NpyFormatException(sourceName, "not a .npy file (the magic string \\x93NUMPY is missing)");
        }

        byte major = start[6], minor = start[7];
        if (major is < 1 or > 3 || minor != 0)
        {
            throw new NpyFormatException(sourceName, $"format version {major}.{minor} is not supported (1.0, 2.0 and 3.0 are)");
        }

        int lengthSize = major == 1 ? 2 : 4;
        if (available < 8 + lengthSize)
        {
            throw new NpyFormatException(sourceName, "the file ends inside the header length");
        }

        ReadExactly(stream, start.Slice(8, lengthSize), sourceName);
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(start[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(start[8..]);
        if (headerLength > MaxHeaderLength)
        {
            throw new NpyFormatException(sourceName, $"the header length {headerLength} exceeds {MaxHeaderLength} bytes");
        }

        if (headerLength > available - 8 - lengthSize)
        {
            throw new NpyFormatException(sourceName, $"the header length {headerLength} runs past the end of the file ({available} bytes)");
        }

        byte[] headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, sourceName);
        string text;
        try
        {
            text = major == 3 ? new UTF8Encoding(false, true).GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new NpyFormatException(sourceName, "the header is not valid UTF-8", e);
        }

        try
        {
            return (NpyHeader.Parse(text), checked((int)(8 + lengthSize + headerLength)));
        }
        catch (FormatException e)
        {
            throw new NpyFormatException(sourceName, $"the header is not a valid .npy header dictionary: {e.Message}", e);
        }
    }

    /// <summary>The element count of <paramref name="shape"/>, checked against the bytes present before anything is allocated.</summary>
    private static long CheckedCount(long[] shape, int itemSize, long dataBytes, string sourceName)
    {
        if (shape.Contains(0))
        {
            // No data bounds the other sizes of an empty array; LibTorch still multiplies them (see TensorShapes).
            return TensorShapes.IsAddressable(shape)
                ? 0
                : throw new NpyFormatException(sourceName, $"the shape ({string.Join(", ", shape)}) holds no elements, but its sizes multiply beyond what a tensor can describe");
        }

        long limit = Math.Min(dataBytes / itemSize, Array.MaxLength);
        long count = 1;
        foreach (long d in shape)
        {
            // d >= 1 here; dividing first keeps the product from overflowing.
            if (d > limit / count)
            {
                throw new NpyFormatException(sourceName, $"the shape ({string.Join(", ", shape)}) needs more data than the file's {dataBytes} bytes" + (dataBytes / itemSize > Array.MaxLength ? " or an array can hold" : string.Empty));
            }

            count *= d;
        }

        return count;
    }

    private static void ReadExactly(Stream stream, Span<byte> target, string sourceName)
    {
        try
        {
            stream.ReadExactly(target);
        }
        catch (EndOfStreamException e)
        {
            throw new NpyFormatException(sourceName, "the file ends early", e);
        }
    }
}
