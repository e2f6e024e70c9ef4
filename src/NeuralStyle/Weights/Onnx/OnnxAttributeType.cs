namespace NeuralStyle.Weights.Onnx;

/// <summary>The kind of value an ONNX node attribute holds (AttributeProto.AttributeType).</summary>
public enum OnnxAttributeType
{
    /// <summary>Not set.</summary>
    Undefined = 0,

    /// <summary>One float.</summary>
    Float = 1,

    /// <summary>One 64-bit integer.</summary>
    Int = 2,

    /// <summary>One string.</summary>
    String = 3,

    /// <summary>One tensor.</summary>
    Tensor = 4,

    /// <summary>A subgraph (not read by the importer).</summary>
    Graph = 5,

    /// <summary>A list of floats.</summary>
    Floats = 6,

    /// <summary>A list of 64-bit integers.</summary>
    Ints = 7,

    /// <summary>A list of strings.</summary>
    Strings = 8,

    /// <summary>A list of tensors (not read by the importer).</summary>
    Tensors = 9,

    /// <summary>A list of subgraphs (not read by the importer).</summary>
    Graphs = 10,

    /// <summary>A sparse tensor (not read by the importer).</summary>
    SparseTensor = 11,

    /// <summary>A list of sparse tensors (not read by the importer).</summary>
    SparseTensors = 12,

    /// <summary>A type (not read by the importer).</summary>
    TypeProto = 13,

    /// <summary>A list of types (not read by the importer).</summary>
    TypeProtos = 14,
}
