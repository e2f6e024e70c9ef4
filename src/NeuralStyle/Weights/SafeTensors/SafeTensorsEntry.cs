namespace NeuralStyle.Weights.SafeTensors;

/// <summary>One tensor of a safetensors header: its name, dtype, shape and byte range in the data region.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="Dtype">Its element type.</param>
/// <param name="Shape">Its sizes, outermost first (C order); empty for a scalar.</param>
/// <param name="Begin">The first byte, relative to the start of the data region.</param>
/// <param name="End">One past the last byte, relative to the start of the data region.</param>
public sealed record SafeTensorsEntry(string Name, SafeTensorsDtype Dtype, long[] Shape, long Begin, long End)
{
    /// <summary>The number of bytes the tensor occupies.</summary>
    public long ByteLength => End - Begin;

    /// <summary>The number of elements (1 for a scalar, 0 for an empty tensor; the header check bounds the product of the others).</summary>
    public long ElementCount => Shape.Contains(0) ? 0 : Shape.Aggregate(1L, (a, b) => a * b);
}
