using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using NeuralStyle.Files;
using static TorchSharp.torch;

namespace NeuralStyle.Weights.SafeTensors;

/// <summary>Writes tensors as a safetensors file, laid out as the reference implementation lays them out.</summary>
/// <remarks>
/// <para>Tensors are placed by dtype in the reference's order (U64, I64, F64, F32, I32, BF16, F16, I16, I8, U8, BOOL:
/// element sizes never grow), then by name (ordinal), and the header lists them in that order after "__metadata__":
/// every tensor then starts at a multiple of its element size. The JSON is compact and
/// padded with spaces to a multiple of 8 bytes, so the data region starts 8-byte aligned and a reader can map it.</para>
/// <para>Each tensor is written in its own dtype (F32, F16, BF16, F64, and the integer and bool types that have a
/// safetensors name), copied to the CPU one at a time and streamed out in chunks. The file is written through a
/// temporary file renamed into place (<see cref="AtomicFile"/>).</para>
/// </remarks>
public static class SafeTensorsWriter
{
    private const int ChunkBytes = 1 << 20;
    private const int Alignment = 8;

    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">A name is "__metadata__", or a tensor's dtype has no safetensors counterpart.</exception>
    /// <exception cref="IOException">The file could not be written; nothing is left under its name or its temporary name.</exception>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors files are written on little-endian machines only");
        }

        var layout = new List<(string Name, Tensor Tensor, SafeTensorsDtype Dtype)>();
        foreach ((string name, Tensor t) in tensors)
        {
            ArgumentNullException.ThrowIfNull(t, name);
            if (name == "__metadata__")
            {
                throw new ArgumentException("a tensor may not be called '__metadata__', the header's metadata key", nameof(tensors));
            }

            SafeTensorsDtype dtype = SafeTensorsDtype.For(t.dtype)
                ?? throw new ArgumentException($"tensor '{name}' has dtype {t.dtype}, which safetensors cannot hold", nameof(tensors));
            layout.Add((name, t, dtype));
        }

        layout.Sort((a, b) => a.Dtype.Rank != b.Dtype.Rank ? b.Dtype.Rank.CompareTo(a.Dtype.Rank) : string.CompareOrdinal(a.Name, b.Name));
        byte[] header = Header(layout.Select(e => (e.Name, e.Dtype, e.Tensor.shape)), metadata);
        AtomicFile.Write(path, "the safetensors file", stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach ((_, Tensor t, _) in layout)
            {
                WriteData(stream, t);
            }
        });
    }

    /// <summary>The header JSON for tensors in layout order, padded with spaces to a multiple of 8 bytes.</summary>
    internal static byte[] Header(IEnumerable<(string Name, SafeTensorsDtype Dtype, long[] Shape)> layout, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is not null)
            {
                json.WriteStartObject("__metadata__");
                foreach ((string key, string value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach ((string name, SafeTensorsDtype dtype, long[] shape) in layout)
            {
                long bytes = checked(shape.Aggregate(1L, (a, b) => a * b) * dtype.Bits / 8);
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype.Name);
                json.WriteStartArray("shape");
                foreach (long d in shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }

            json.WriteEndObject();
        }

        int padding = (Alignment - (buffer.WrittenCount % Alignment)) % Alignment;
        byte[] header = new byte[buffer.WrittenCount + padding];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    /// <summary>Streams one tensor's elements in C order, a chunk at a time, without a managed copy of the whole.</summary>
    private static void WriteData(Stream stream, Tensor t)
    {
        using var scope = NewDisposeScope();
        Tensor flat = t.detach().cpu().contiguous().view(-1);
        int itemSize = (int)flat.ElementSize;
        long perChunk = ChunkBytes / itemSize;
        for (long done = 0; done < flat.numel(); done += perChunk)
        {
            long elements = Math.Min(perChunk, flat.numel() - done);
            using Tensor part = flat.narrow(0, done, elements);
            stream.Write(part.bytes);
        }
    }
}
