namespace NeuralStyle.Weights.Caffe;

/// <summary>A Caffe <c>.caffemodel</c> file is not a protobuf NetParameter, is truncated, or holds a blob that cannot be loaded.</summary>
/// <remarks>
/// Derives from <see cref="IOException"/> like the other weight readers' exceptions, so callers that load files
/// catch it already. The message starts with the file name and, where one part of the file is at fault, ends with
/// the byte offset at which the problem was found.
/// </remarks>
public sealed class CaffeFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="sourceName"/>: what is wrong, and where if known.</summary>
    public CaffeFormatException(string sourceName, string detail, long? offset = null, Exception? inner = null)
        : base(MessageText.OneLine(offset is long at ? $"{sourceName}: {detail} (at byte offset {at})" : $"{sourceName}: {detail}"), inner)
    {
        SourceName = sourceName;
        Detail = MessageText.OneLine(detail);
        Offset = offset;
    }

    /// <summary>The file the network was read from.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong, without the file name or offset.</summary>
    public string Detail { get; }

    /// <summary>The byte offset in the file at which the problem was found, when one part of the file is at fault.</summary>
    public long? Offset { get; }
}
