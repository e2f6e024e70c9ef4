namespace NeuralStyle.Weights.Mat;

/// <summary>A decoded data element tag, with the positions it implies in its source's coordinates.</summary>
/// <param name="RawType">The type field as stored, kept so that unknown types can be reported verbatim.</param>
/// <param name="ByteCount">Bytes of data, without padding.</param>
/// <param name="Offset">Position of the tag itself.</param>
/// <param name="DataOffset">Position of the first data byte (inside the tag for a small element).</param>
/// <param name="End">Position where the next element starts (after padding).</param>
/// <param name="IsSmall">Whether this is a small data element packed into 8 bytes.</param>
internal readonly record struct MatElementTag(uint RawType, long ByteCount, long Offset, long DataOffset, long End, bool IsSmall)
{
    public MatDataType Type => (MatDataType)RawType;

    public long DataEnd => DataOffset + ByteCount;

    public string TypeName => MatDataTypes.Describe(Type);
}
