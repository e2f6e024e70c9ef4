namespace NeuralStyle.Weights.SafeTensors;

/// <summary>A safetensors file is malformed or truncated, or holds a tensor of a dtype that cannot be loaded.</summary>
/// <remarks>
/// This derives from <see cref="IOException"/> because <see cref="InvalidDataException"/> is sealed; callers that
/// load files usually catch <see cref="IOException"/> already. The message starts with the file name and, where one
/// part of the file is at fault, says at which byte offset.
/// </remarks>
public sealed class SafeTensorsFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="sourceName"/> with what is wrong in <paramref name="detail"/>.</summary>
    public SafeTensorsFormatException(string sourceName, string detail, Exception? inner = null)
        : base(MessageText.OneLine($"{sourceName}: {detail}"), inner)
    {
        SourceName = sourceName;
        Detail = MessageText.OneLine(detail);
    }

    /// <summary>The file the tensors were read from.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Detail { get; }
}
