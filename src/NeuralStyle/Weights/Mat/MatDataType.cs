namespace NeuralStyle.Weights.Mat;

/// <summary>Data element types (miXXX) of the Level 5 format.</summary>
internal enum MatDataType
{
    Int8 = 1,
    UInt8 = 2,
    Int16 = 3,
    UInt16 = 4,
    Int32 = 5,
    UInt32 = 6,
    Single = 7,
    Double = 9,
    Int64 = 12,
    UInt64 = 13,
    Matrix = 14,
    Compressed = 15,
    Utf8 = 16,
    Utf16 = 17,
    Utf32 = 18,
}

/// <summary>Facts about <see cref="MatDataType"/> values.</summary>
internal static class MatDataTypes
{
    /// <summary>Bytes per value of a numeric element type, or 0 when the type is not numeric.</summary>
    public static int NumericSize(MatDataType type) => type switch
    {
        MatDataType.Int8 or MatDataType.UInt8 => 1,
        MatDataType.Int16 or MatDataType.UInt16 => 2,
        MatDataType.Int32 or MatDataType.UInt32 or MatDataType.Single => 4,
        MatDataType.Double or MatDataType.Int64 or MatDataType.UInt64 => 8,
        _ => 0,
    };

    public static string Describe(MatDataType type) => type switch
    {
        MatDataType.Int8 => "miINT8",
        MatDataType.UInt8 => "miUINT8",
        MatDataType.Int16 => "miINT16",
        MatDataType.UInt16 => "miUINT16",
        MatDataType.Int32 => "miINT32",
        MatDataType.UInt32 => "miUINT32",
        MatDataType.Single => "miSINGLE",
        MatDataType.Double => "miDOUBLE",
        MatDataType.Int64 => "miINT64",
        MatDataType.UInt64 => "miUINT64",
        MatDataType.Matrix => "miMATRIX",
        MatDataType.Compressed => "miCOMPRESSED",
        MatDataType.Utf8 => "miUTF8",
        MatDataType.Utf16 => "miUTF16",
        MatDataType.Utf32 => "miUTF32",
        _ => $"unknown type {(int)type}",
    };
}
