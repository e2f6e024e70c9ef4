namespace NeuralStyle.Weights.Onnx;

/// <summary>An ONNX file is not valid protobuf, is truncated, or describes a graph that cannot be evaluated.</summary>
/// <remarks>
/// This derives from <see cref="IOException"/> because <see cref="InvalidDataException"/> is sealed; callers that
/// load files usually catch <see cref="IOException"/> already. The message starts with the source name.
/// </remarks>
public class OnnxFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="sourceName"/> with what is wrong in <paramref name="detail"/>.</summary>
    public OnnxFormatException(string sourceName, string detail, Exception? inner = null)
        : base(MessageText.OneLine($"{sourceName}: {detail}"), inner)
    {
        SourceName = sourceName;
        Detail = MessageText.OneLine(detail);
    }

    /// <summary>The file name or other description of the input given to the reader.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong, without the source prefix.</summary>
    public string Detail { get; }
}
