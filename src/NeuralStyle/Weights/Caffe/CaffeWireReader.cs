using Google.Protobuf;

namespace NeuralStyle.Weights.Caffe;

/// <summary>The protobuf wire format of a file, walked field by field with Google.Protobuf's <see cref="CodedInputStream"/>.</summary>
/// <remarks>
/// Caffe's messages are read without generated code, so this class does the bookkeeping generated code would: every
/// message has an end offset, the length prefix of every message and packed run is checked against it (and so
/// against the file's size) before anything is read or allocated for it, and every field must end inside its
/// message. Strings and unknown fields of every wire type are left to Google.Protobuf, which reads and skips long
/// values from a stream in chunks, so a lying length fails as truncated without a large allocation.
/// </remarks>
internal sealed class CaffeWireReader : IDisposable
{
    /// <summary>Longest string field accepted (layer names and types); a longer one is damage, not a name.</summary>
    private const int MaxStringChars = 1 << 16;

    private readonly CodedInputStream input;

    public CaffeWireReader(Stream stream, string sourceName)
    {
        input = new CodedInputStream(stream, leaveOpen: true);
        SourceName = sourceName;
        FileLength = stream.Length;
    }

    public string SourceName { get; }

    public long FileLength { get; }

    public long Position => input.Position;

    /// <summary>Reads the next field's tag of a message that ends at <paramref name="end"/>; false when the message is complete.</summary>
    public bool NextField(long end, out int field, out WireFormat.WireType wireType)
    {
        field = 0;
        wireType = WireFormat.WireType.Varint;
        long at = Position;
        if (at >= end)
        {
            return false;
        }

        uint tag = input.ReadTag();
        field = WireFormat.GetTagFieldNumber(tag);
        wireType = WireFormat.GetTagWireType(tag);
        if (field == 0 || (int)wireType > 5 || wireType == WireFormat.WireType.EndGroup)
        {
            throw Error($"not a protobuf field tag: 0x{tag:X} (field {field}, wire type {(int)wireType}); the file is not a Caffe NetParameter or is damaged", at);
        }

        return true;
    }

    /// <summary>Fails unless the field just read ended inside its message.</summary>
    public void CheckInside(long end, long fieldStart)
    {
        if (Position > end)
        {
            throw Error($"a field runs past the end of its enclosing message, which ends at offset {end}", fieldStart);
        }
    }

    /// <summary>Fails when the field <paramref name="what"/> has another wire type than its schema's.</summary>
    public void Expect(WireFormat.WireType actual, WireFormat.WireType expected, string what, long fieldStart)
    {
        if (actual != expected)
        {
            throw Error($"{what} has protobuf wire type {(int)actual}, expected {(int)expected} ({expected})", fieldStart);
        }
    }

    /// <summary>Reads a length prefix and returns the end offset of the data it announces, checked against <paramref name="end"/>.</summary>
    public long ReadLength(long end, string what)
    {
        long at = Position;
        int length = input.ReadLength();
        long stop = Position + length;
        if (stop > FileLength)
        {
            throw Error($"the length prefix of {what} claims {length:N0} bytes, but only {FileLength - Position:N0} remain in the file ({FileLength:N0} bytes); the file is truncated or damaged", at);
        }

        if (stop > end)
        {
            throw Error($"the length prefix of {what} claims {length:N0} bytes, past the end of its enclosing message at offset {end}", at);
        }

        return stop;
    }

    public long ReadInt64() => input.ReadInt64();

    public float ReadFloat() => input.ReadFloat();

    public ulong ReadFixed64() => input.ReadFixed64();

    public double ReadDouble() => input.ReadDouble();

    /// <summary>Reads a length-delimited UTF-8 string field (names, types).</summary>
    public string ReadString(long end, string what)
    {
        long at = Position;
        // Google.Protobuf reads a long string from a stream in chunks, so a lying length fails as truncated without
        // a large allocation; whether it stayed inside its message is checked after.
        string value;
        try
        {
            value = input.ReadString();
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw Error($"{what}: its length prefix runs past the end of the file; the file is truncated or damaged", at, ex);
        }

        CheckInside(end, at);
        if (value.Length > MaxStringChars)
        {
            throw Error($"{what} is {value.Length:N0} characters long, more than the {MaxStringChars:N0} a name can have; the file is damaged", at);
        }

        return value;
    }

    /// <summary>Skips the value of the field just read, of any wire type (groups included).</summary>
    public void SkipField(long end, int field)
    {
        long at = Position;
        // A length-delimited value is skipped in chunks by Google.Protobuf, without allocating its announced size.
        try
        {
            input.SkipLastField();
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw Error($"an unknown field (number {field}) runs past the end of the file; the file is truncated or damaged", at, ex);
        }

        CheckInside(end, at);
    }

    public CaffeFormatException Error(string detail, long offset, Exception? inner = null) => new(SourceName, detail, offset, inner);

    public void Dispose() => input.Dispose();
}
