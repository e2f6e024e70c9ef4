namespace NeuralStyle.Weights.Mat;

/// <summary>
/// Reads Level 5 MAT-files (MATLAB -v6 and -v7, the format MatConvNet's model files use) in one streaming pass.
/// </summary>
/// <remarks>
/// <para>Level 4 and v7.3 (HDF5) files are recognised and refused with a message saying how to re-save them.</para>
/// <para>Every length is checked against the element that encloses it and against what the input can still
/// supply, so malformed input gives a <see cref="MatFileException"/> naming the file and byte offset, never an
/// unbounded allocation. Bytes after the last variable that do not form a complete variable are an error, not
/// silently ignored: a weights file that ends in garbage has most likely been damaged.</para>
/// <para>MATLAB's subsystem data (the unnamed element the header's subsystem offset points at, used for
/// classdef objects) is skipped; function handles and opaque objects are refused naming the variable.</para>
/// </remarks>
public static class MatFile
{
    /// <summary>How far Octave's object lengths overshoot (4 bytes seen), with margin.</summary>
    private const int OctaveOverrun = 8;

    public static MatFileContents Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(
            path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return Read(stream, path);
    }

    /// <summary>Reads a MAT-file from <paramref name="stream"/>'s current position.</summary>
    /// <remarks>The source name stands for the input in error messages, e.g. its path. Seekable streams are read most efficiently: their length bounds every allocation up front.</remarks>
    public static MatFileContents Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(stream));
        }

        MatSource file = MatSource.ForFile(stream, sourceName);
        MatHeader header = MatHeader.Read(file);
        file.BigEndian = header.BigEndian;
        var reader = new MatArrayReader();
        file.Context = reader;

        var variables = new List<MatArray>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (!file.AtEnd())
        {
            long at = file.Position;
            MatElementTag tag = file.ReadTag(file.End, "variable", OctaveOverrun);
            MatArray variable = tag.Type switch
            {
                MatDataType.Matrix => ReadUncompressed(file, reader, tag),
                MatDataType.Compressed => ReadCompressed(file, reader, tag),
                _ => throw file.Error(at, $"expected a variable (miMATRIX or miCOMPRESSED element), found {tag.TypeName}"),
            };

            if (at == header.SubsystemOffset)
            {
                continue;
            }

            if (variable.Name.Length == 0)
            {
                throw file.Error(at, "variable has an empty name");
            }

            if (!names.Add(variable.Name))
            {
                throw file.Error(at, $"variable '{variable.Name}' appears twice");
            }

            variables.Add(variable);
        }

        return new MatFileContents(
            sourceName, header.Text, header.BigEndian ? MatByteOrder.BigEndian : MatByteOrder.LittleEndian, variables);
    }

    private static MatArray ReadUncompressed(MatSource file, MatArrayReader reader, MatElementTag tag)
    {
        MatArray result = reader.ReadMatrix(file, tag, depth: 0);
        file.SkipTo(tag.End, OctaveOverrun);
        return result;
    }

    /// <summary>
    /// Inflates one miCOMPRESSED element while parsing it, so its decompressed bytes are never held at once. The
    /// zlib stream's end and checksum are not required: some writers omit them, and the matrix is complete
    /// without them.
    /// </summary>
    private static MatArray ReadCompressed(MatSource file, MatArrayReader reader, MatElementTag tag)
    {
        if (tag.IsSmall)
        {
            throw file.Error(tag.Offset, "compressed element too small to hold a zlib stream");
        }

        MatSource inflated = file.OpenCompressed(tag.ByteCount, tag.Offset);
        try
        {
            MatElementTag inner = inflated.ReadTag(inflated.End, "compressed variable");
            if (inner.Type != MatDataType.Matrix)
            {
                throw inflated.Error(inner.Offset, $"compressed data must hold a miMATRIX element, found {inner.TypeName}");
            }

            inflated.LimitEnd(inner.End);
            MatArray result = reader.ReadMatrix(inflated, inner, depth: 0);
            inflated.SkipTo(inner.End, OctaveOverrun);
            file.SkipTo(tag.End);
            return result;
        }
        finally
        {
            inflated.CloseInflater();
        }
    }
}
