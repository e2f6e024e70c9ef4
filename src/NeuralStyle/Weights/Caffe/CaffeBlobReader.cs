using System.Runtime.InteropServices;
using Google.Protobuf;
using static TorchSharp.torch;

namespace NeuralStyle.Weights.Caffe;

/// <summary>Decodes one BlobProto: shape (field 7) or legacy num/channels/height/width (1-4), data (5) or double_data (8).</summary>
/// <remarks>
/// Caffe writes fields in number order, so <c>shape</c> arrives after the values: a packed run is read straight into
/// a 1-d float32 tensor of the length its prefix announces (checked against the file first), through a bounded
/// buffer, and the tensor is given its shape at the end of the message, once the value count is checked against it.
/// Unpacked values (one field per float) are collected in a list, since their count is not known in advance.
/// <c>diff</c> and <c>double_diff</c> (gradients) are skipped.
/// </remarks>
internal sealed class CaffeBlobReader : IDisposable
{
    private const int ChunkValues = 1 << 16;

    private readonly CaffeWireReader wire;
    private readonly float[] buffer = new float[ChunkValues];
    private Tensor? chunk;

    public CaffeBlobReader(CaffeWireReader wire) => this.wire = wire;

    /// <summary>Frees the staging tensor.</summary>
    public void Dispose() => chunk?.Dispose();

    /// <summary>Reads a blob message that ends at <paramref name="end"/>; <paramref name="what"/> names it in errors.</summary>
    public CaffeBlob Read(long end, string what)
    {
        long blobStart = wire.Position;
        var floats = new List<Tensor>();
        var doubles = new List<Tensor>();
        var loose = new List<float>();
        var looseDoubles = new List<float>();
        var legacy = new long[4];
        List<long>? shape = null;
        try
        {
            while (wire.NextField(end, out int field, out WireFormat.WireType type))
            {
                long at = wire.Position;
                switch (field)
                {
                    case >= 1 and <= 4:
                        wire.Expect(type, WireFormat.WireType.Varint, $"{what}: legacy dimension field {field}", at);
                        legacy[field - 1] = CheckedDim(wire.ReadInt64(), what, at);
                        break;
                    case 5:
                        ReadValues(type, end, what, at, floats, loose, 4);
                        break;
                    case 8:
                        ReadValues(type, end, what, at, doubles, looseDoubles, 8);
                        break;
                    case 7:
                        wire.Expect(type, WireFormat.WireType.LengthDelimited, $"{what}: shape", at);
                        shape ??= [];
                        ReadShape(wire.ReadLength(end, $"{what}: shape"), what, shape);
                        break;
                    default:
                        wire.SkipField(end, field);
                        break;
                }

                wire.CheckInside(end, at);
            }

            Flush(floats, loose);
            Flush(doubles, looseDoubles);
            if (floats.Count > 0 && doubles.Count > 0)
            {
                throw wire.Error($"{what} has both float data and double_data; a blob holds one or the other", blobStart);
            }

            // Without a shape, Caffe reads the legacy dimensions, each defaulting to 0 (an empty 0x0x0x0 blob).
            long[] dims = shape is not null ? [.. shape] : legacy;
            return Assemble(floats.Count > 0 ? floats : doubles, dims, what, blobStart);
        }
        finally
        {
            foreach (Tensor t in floats.Concat(doubles))
            {
                t.Dispose();
            }
        }
    }

    private CaffeBlob Assemble(List<Tensor> parts, long[] dims, string what, long blobStart)
    {
        long expected = 1;
        foreach (long d in dims)
        {
            try
            {
                expected = checked(expected * d);
            }
            catch (OverflowException)
            {
                throw wire.Error($"{what} has the shape [{string.Join(", ", dims)}], whose element count overflows", blobStart);
            }
        }

        long count = parts.Sum(p => p.numel());
        if (count != expected)
        {
            throw wire.Error($"{what} has {count:N0} values but its shape [{string.Join(", ", dims)}] needs {expected:N0}", blobStart);
        }

        using Tensor flat = parts.Count switch
        {
            0 => empty(0, ScalarType.Float32),
            1 => parts[0].alias(),
            _ => cat(parts, 0),
        };
        return new CaffeBlob(dims, flat.reshape(dims).contiguous());
    }

    private long CheckedDim(long dim, string what, long at) =>
        dim >= 0 ? dim : throw wire.Error($"{what} has the negative dimension {dim}", at);

    private void ReadShape(long stop, string what, List<long> shape)
    {
        // BlobShape: dim = 1, repeated int64, packed (a writer may also emit it unpacked).
        while (wire.NextField(stop, out int field, out WireFormat.WireType type))
        {
            long at = wire.Position;
            if (field == 1 && type == WireFormat.WireType.LengthDelimited)
            {
                long end = wire.ReadLength(stop, $"{what}: shape dimensions");
                while (wire.Position < end)
                {
                    long dimAt = wire.Position;
                    shape.Add(CheckedDim(wire.ReadInt64(), what, dimAt));
                }

                wire.CheckInside(end, at);
            }
            else if (field == 1)
            {
                wire.Expect(type, WireFormat.WireType.Varint, $"{what}: shape dimension", at);
                shape.Add(CheckedDim(wire.ReadInt64(), what, at));
            }
            else
            {
                wire.SkipField(stop, field);
            }

            wire.CheckInside(stop, at);
        }
    }

    private void ReadValues(WireFormat.WireType type, long end, string what, long at, List<Tensor> parts, List<float> loose, int size)
    {
        WireFormat.WireType single = size == 4 ? WireFormat.WireType.Fixed32 : WireFormat.WireType.Fixed64;
        if (type == single)
        {
            loose.Add(size == 4 ? wire.ReadFloat() : (float)wire.ReadDouble());
            return;
        }

        wire.Expect(type, WireFormat.WireType.LengthDelimited, $"{what}: {(size == 4 ? "data" : "double_data")}", at);
        long stop = wire.ReadLength(end, $"{what}: values");
        long bytes = stop - wire.Position;
        if (bytes % size != 0)
        {
            throw wire.Error($"{what}: packed values take {bytes:N0} bytes, not a multiple of {size}", at);
        }

        Flush(parts, loose);
        long count = bytes / size;
        // The count is bounded by the bytes the file really has (checked by ReadLength), so this allocation is honest.
        Tensor values = empty(count, ScalarType.Float32);
        parts.Add(values);
        chunk ??= empty(ChunkValues, ScalarType.Float32);
        for (long done = 0; done < count; done += ChunkValues)
        {
            int n = (int)Math.Min(ChunkValues, count - done);
            if (size == 4)
            {
                // Two floats per call: each CodedInputStream read has a fixed cost, and the packed floats are
                // little-endian like the fixed64 that holds a pair of them.
                Span<ulong> pairs = MemoryMarshal.Cast<float, ulong>(buffer.AsSpan(0, n & ~1));
                for (int i = 0; i < pairs.Length; i++)
                {
                    pairs[i] = wire.ReadFixed64();
                }

                if ((n & 1) != 0)
                {
                    buffer[n - 1] = wire.ReadFloat();
                }
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    buffer[i] = (float)wire.ReadDouble();
                }
            }

            // Through a native staging tensor: TorchSharp copies bytes only into a whole tensor.
            chunk.bytes = MemoryMarshal.AsBytes(buffer.AsSpan());
            using Tensor source = chunk.narrow(0, 0, n);
            using Tensor target = values.narrow(0, done, n);
            target.copy_(source);
        }
    }

    private static void Flush(List<Tensor> parts, List<float> loose)
    {
        if (loose.Count > 0)
        {
            parts.Add(tensor(loose.ToArray(), ScalarType.Float32));
            loose.Clear();
        }
    }
}
