using System.Buffers.Binary;

namespace NeuralStyle.Tests.Fuzz;

/// <summary>
/// One change to an input. Each mutation is drawn for the bytes it is applied to (offsets are in range), and prints
/// itself so that a failure message says exactly what was done to the seed file.
/// </summary>
internal abstract record Mutation
{
    public abstract byte[] Apply(byte[] data);
}

internal sealed record FlipBit(int Offset, int Bit) : Mutation
{
    public override byte[] Apply(byte[] data)
    {
        byte[] result = [.. data];
        result[Offset] ^= (byte)(1 << Bit);
        return result;
    }

    public override string ToString() => $"flip bit {Bit} of byte {Offset}";
}

/// <summary>Writes an integer of 1, 2, 4 or 8 bytes: boundary values, and lengths that are absurd or off by a little.</summary>
internal sealed record SetInteger(int Offset, int Width, ulong Value, bool BigEndian) : Mutation
{
    public override byte[] Apply(byte[] data)
    {
        byte[] result = [.. data];
        Span<byte> at = result.AsSpan(Offset, Width);
        switch (Width)
        {
            case 1:
                at[0] = (byte)Value;
                break;
            case 2 when BigEndian:
                BinaryPrimitives.WriteUInt16BigEndian(at, (ushort)Value);
                break;
            case 2:
                BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)Value);
                break;
            case 4 when BigEndian:
                BinaryPrimitives.WriteUInt32BigEndian(at, (uint)Value);
                break;
            case 4:
                BinaryPrimitives.WriteUInt32LittleEndian(at, (uint)Value);
                break;
            case 8 when BigEndian:
                BinaryPrimitives.WriteUInt64BigEndian(at, Value);
                break;
            default:
                BinaryPrimitives.WriteUInt64LittleEndian(at, Value);
                break;
        }

        return result;
    }

    public override string ToString() =>
        $"set {(Width == 1 ? "byte" : $"{8 * Width}-bit {(BigEndian ? "big" : "little")}-endian integer")} at {Offset} to 0x{Value & (Width == 8 ? ulong.MaxValue : (1UL << (8 * Width)) - 1):X}";
}

/// <summary>Adds a small signed amount to an integer in place (a count or length off by a few).</summary>
internal sealed record AddToInteger(int Offset, int Width, int Delta, bool BigEndian) : Mutation
{
    public override byte[] Apply(byte[] data)
    {
        ulong value = 0;
        for (int i = 0; i < Width; i++)
        {
            value |= (ulong)data[Offset + (BigEndian ? Width - 1 - i : i)] << (8 * i);
        }

        return new SetInteger(Offset, Width, unchecked(value + (ulong)(long)Delta), BigEndian).Apply(data);
    }

    public override string ToString() => $"add {Delta} to the {8 * Width}-bit {(BigEndian ? "big" : "little")}-endian integer at {Offset}";
}

internal sealed record Truncate(int Length) : Mutation
{
    public override byte[] Apply(byte[] data) => data[..Length];

    public override string ToString() => $"truncate to {Length} bytes";
}

internal sealed record RemoveChunk(int Offset, int Length) : Mutation
{
    public override byte[] Apply(byte[] data) => [.. data.AsSpan(0, Offset), .. data.AsSpan(Offset + Length)];

    public override string ToString() => $"remove {Length} bytes at {Offset}";
}

/// <summary>Copies <see cref="Length"/> bytes from <see cref="From"/> and inserts the copy at <see cref="To"/>.</summary>
internal sealed record DuplicateChunk(int From, int Length, int To) : Mutation
{
    public override byte[] Apply(byte[] data) =>
        [.. data.AsSpan(0, To), .. data.AsSpan(From, Length), .. data.AsSpan(To)];

    public override string ToString() => $"insert a copy of the {Length} bytes at {From} at {To}";
}

internal sealed record InsertByte(int Offset, byte Value) : Mutation
{
    public override byte[] Apply(byte[] data) => [.. data.AsSpan(0, Offset), Value, .. data.AsSpan(Offset)];

    public override string ToString() => $"insert byte 0x{Value:X2} at {Offset}";
}
