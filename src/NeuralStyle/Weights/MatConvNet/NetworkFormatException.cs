namespace NeuralStyle.Weights.MatConvNet;

/// <summary>A weight file that is well-formed as a file but is not the network it should be.</summary>
public sealed class NetworkFormatException(string path, string message)
    : IOException(MessageText.OneLine($"{path}: {message}"))
{
    /// <summary>The file the network was read from.</summary>
    public string FilePath { get; } = path;
}
