namespace NeuralStyle.Weights.Onnx;

/// <summary>A well-formed ONNX model uses an operator, attribute value or data type that the importer does not implement.</summary>
/// <remarks>Raised while the model is loaded or the graph is built, never in the middle of a run.</remarks>
public sealed class OnnxUnsupportedException : OnnxFormatException
{
    /// <summary>Creates the exception; <paramref name="opType"/> is null when the problem is not tied to an operator.</summary>
    public OnnxUnsupportedException(string sourceName, string detail, string? opType = null)
        : base(sourceName, detail)
    {
        OpType = opType;
    }

    /// <summary>The operator type concerned, when there is one.</summary>
    public string? OpType { get; }
}
