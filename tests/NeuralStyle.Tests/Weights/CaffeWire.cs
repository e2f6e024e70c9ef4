using System.Text;

namespace NeuralStyle.Tests.Weights;

/// <summary>A few protobuf wire-format encoders for hand-built (and hand-damaged) Caffe files in the tests.</summary>
internal static class CaffeWire
{
    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return [.. bytes];
    }

    public static byte[] Key(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    public static byte[] Int(int field, long value) => [.. Key(field, 0), .. Varint((ulong)value)];

    /// <summary>A length-delimited field holding <paramref name="parts"/>, with its true length.</summary>
    public static byte[] Len(int field, params byte[][] parts)
    {
        byte[] payload = Cat(parts);
        return LenClaiming(field, payload.Length, payload);
    }

    /// <summary>A length-delimited field whose prefix claims <paramref name="claimed"/> bytes, whatever follows.</summary>
    public static byte[] LenClaiming(int field, long claimed, params byte[][] parts) => Cat([.. Key(field, 2), .. Varint((ulong)claimed)], Cat(parts));

    public static byte[] Str(int field, string text) => Len(field, Encoding.UTF8.GetBytes(text));

    public static byte[] Floats(int field, params float[] values) =>
        Len(field, [.. values.SelectMany(BitConverter.GetBytes)]);

    public static byte[] Cat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>A V2 blob with a <c>shape</c> message after its packed data, as Caffe writes it.</summary>
    public static byte[] ShapedBlob(long[] dims, float[] values) =>
        Cat(Floats(5, values), Len(7, Len(1, [.. dims.SelectMany(d => Varint((ulong)d))])));

    /// <summary>A V2 layer message (NetParameter field 100) with the given blobs.</summary>
    public static byte[] Layer(string name, string type, params byte[][] blobs) =>
        Len(100, Cat(Str(1, name), Str(2, type)), Cat([.. blobs.Select(b => Len(7, b))]));
}
