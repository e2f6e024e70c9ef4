namespace NeuralStyle.Weights.Mat;

/// <summary>Byte order of a Level 5 MAT-file, as given by its header's endian indicator.</summary>
public enum MatByteOrder
{
    LittleEndian,
    BigEndian,
}
