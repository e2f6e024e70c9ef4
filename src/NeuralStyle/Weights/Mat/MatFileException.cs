namespace NeuralStyle.Weights.Mat;

/// <summary>A MAT-file is malformed, truncated or uses a format variant this reader does not support.</summary>
/// <remarks>
/// <para>This derives from <see cref="IOException"/> because <see cref="InvalidDataException"/> is sealed; callers
/// that load files usually catch <see cref="IOException"/> already.</para>
/// <para>The message always starts with the source name and the byte offset, so that a user handed a corrupt
/// weights file can tell which file and where. Inside a compressed element the offset within the compressed
/// bytes means nothing to anyone, so both the file offset of the compressed element and the offset within its
/// decompressed data are given.</para>
/// </remarks>
public sealed class MatFileException : IOException
{
    public MatFileException(string sourceName, long offset, string detail)
        : base(MessageText.OneLine($"{sourceName}: byte {offset}: {detail}"))
    {
        SourceName = sourceName;
        Offset = offset;
        Detail = MessageText.OneLine(detail);
    }

    public MatFileException(string sourceName, long compressedElementOffset, long decompressedOffset, string detail)
        : base(MessageText.OneLine($"{sourceName}: byte {compressedElementOffset} (compressed element), decompressed byte {decompressedOffset}: {detail}"))
    {
        SourceName = sourceName;
        Offset = compressedElementOffset;
        DecompressedOffset = decompressedOffset;
        Detail = MessageText.OneLine(detail);
    }

    /// <summary>The file name or other description of the input given to the reader.</summary>
    public string SourceName { get; }

    /// <summary>Offset in the file; for errors inside compressed data, the offset of the compressed element.</summary>
    public long Offset { get; }

    /// <summary>Offset within the decompressed data of the compressed element, when the error lies there.</summary>
    public long? DecompressedOffset { get; }

    /// <summary>What is wrong, without the source and offset prefix.</summary>
    public string Detail { get; }
}
