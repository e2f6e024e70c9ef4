namespace NeuralStyle.Weights.PyTorch;

/// <summary>A PyTorch checkpoint is malformed, truncated, not a state dict, or does not match the module it is loaded into.</summary>
/// <remarks>
/// This derives from <see cref="IOException"/> because <see cref="InvalidDataException"/> is sealed; callers that
/// load files usually catch <see cref="IOException"/> already. The message starts with the file name.
/// </remarks>
public sealed class PyTorchFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="sourceName"/> with what is wrong in <paramref name="detail"/>.</summary>
    public PyTorchFormatException(string sourceName, string detail, Exception? inner = null)
        : base(MessageText.OneLine($"{sourceName}: {detail}"), inner)
    {
        SourceName = sourceName;
        Detail = MessageText.OneLine(detail);
    }

    /// <summary>The file the checkpoint was read from.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Detail { get; }
}
