namespace NeuralStyle.Weights.Npy;

/// <summary>A .npy file is malformed, truncated or uses a dtype or layout this reader does not support.</summary>
/// <remarks>
/// This derives from <see cref="IOException"/> because <see cref="InvalidDataException"/> is sealed; callers that
/// load files usually catch <see cref="IOException"/> already. The message starts with the file name.
/// </remarks>
public sealed class NpyFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="sourceName"/> with what is wrong in <paramref name="detail"/>.</summary>
    public NpyFormatException(string sourceName, string detail, Exception? inner = null)
        : base(MessageText.OneLine($"{sourceName}: {detail}"), inner)
    {
        SourceName = sourceName;
        Detail = MessageText.OneLine(detail);
    }

    /// <summary>The file the array was read from.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Detail { get; }
}
