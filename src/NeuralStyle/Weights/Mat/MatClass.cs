namespace NeuralStyle.Weights.Mat;

/// <summary>The MATLAB array class stored in a MAT-file's array flags (mxCLASS values).</summary>
public enum MatClass
{
    /// <summary>Not a valid class; never produced by the reader.</summary>
    Unknown = 0,
    Cell = 1,
    Struct = 2,
    Object = 3,
    Char = 4,
    Sparse = 5,
    Double = 6,
    Single = 7,
    Int8 = 8,
    UInt8 = 9,
    Int16 = 10,
    UInt16 = 11,
    Int32 = 12,
    UInt32 = 13,
    Int64 = 14,
    UInt64 = 15,
    FunctionHandle = 16,
    Opaque = 17,
}
