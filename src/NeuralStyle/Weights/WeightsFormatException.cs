namespace NeuralStyle.Weights;

/// <summary>A file given as weights is none of the formats <see cref="StateDictFile"/> reads.</summary>
/// <remarks>Derives from <see cref="IOException"/>, as the readers' own exceptions do, so that callers catching file errors catch it. The message starts with the file name.</remarks>
public sealed class WeightsFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="sourceName"/> with what is wrong in <paramref name="detail"/>.</summary>
    public WeightsFormatException(string sourceName, string detail, Exception? inner = null)
        : base(MessageText.OneLine($"{sourceName}: {detail}"), inner)
    {
        SourceName = sourceName;
        Detail = MessageText.OneLine(detail);
    }

    /// <summary>The file that was read.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Detail { get; }
}
