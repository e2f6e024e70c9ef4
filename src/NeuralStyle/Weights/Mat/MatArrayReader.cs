using System.Runtime.InteropServices;
using System.Text;

namespace NeuralStyle.Weights.Mat;

/// <summary>
/// Parses miMATRIX elements (recursively for cells, structs and objects) from a <see cref="MatSource"/>, checking
/// every length against the element that encloses it.
/// </summary>
internal sealed class MatArrayReader : IMatErrorContext
{
    /// <summary>Cells in structs in cells...: real files nest a handful of levels; this stops stack exhaustion.</summary>
    public const int MaxDepth = 64;

    /// <summary>MATLAB allows far fewer; this only keeps a corrupt dimensions element from being believed.</summary>
    private const int MaxRank = 1024;

    /// <summary>MATLAB names are at most 63 characters; anything much longer is corruption.</summary>
    private const long MaxNameBytes = 4096;

    /// <summary>Containers start with at most this capacity and grow as elements are actually read.</summary>
    private const int InitialContainerCapacity = 1024;

    private readonly List<Frame> location = [];

    public string? DescribeLocation()
    {
        if (location.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (Frame frame in location)
        {
            switch (frame.Kind)
            {
                case FrameKind.Variable:
                    text.Append(frame.Text);
                    break;
                case FrameKind.Cell:
                    text.Append('{').Append(frame.Index + 1).Append('}');
                    break;
                case FrameKind.Field when frame.Index < 0:
                    text.Append('.').Append(frame.Text);
                    break;
                case FrameKind.Field:
                    text.Append('(').Append(frame.Index + 1).Append(").").Append(frame.Text);
                    break;
            }
        }

        return text.Length == 0 ? null : text.ToString();
    }

    /// <summary>
    /// Reads the matrix whose miMATRIX <paramref name="tag"/> has just been read. Nested arrays leave the source
    /// at the element's end; at top level (<paramref name="depth"/> 0) the caller skips to it, and the variable
    /// name joins error locations.
    /// </summary>
    public MatArray ReadMatrix(MatSource source, MatElementTag tag, int depth)
    {
        if (tag.IsSmall)
        {
            // Four bytes cannot hold array flags, dimensions and a name.
            throw source.Error(tag.Offset, "miMATRIX element too small to hold an array");
        }

        if (depth > MaxDepth)
        {
            throw source.Error(tag.Offset, $"arrays nested more than {MaxDepth} levels deep");
        }

        if (tag.ByteCount == 0)
        {
            // A zero-length miMATRIX stands for [] (some writers put these in cells and fields).
            source.SkipTo(tag.End);
            return MatNumericArray.CreateEmpty();
        }

        long end = tag.DataEnd;

        MatElementTag flagsTag = source.ReadTag(end, "array flags");
        if (flagsTag.Type != MatDataType.UInt32 || flagsTag.ByteCount != 8)
        {
            throw source.Error(flagsTag.Offset, $"array flags must be 8 bytes of miUINT32, found {flagsTag.ByteCount} bytes of {flagsTag.TypeName}");
        }

        uint flags = source.ReadUInt32();
        uint nzmax = source.ReadUInt32();
        source.SkipTo(flagsTag.End);
        var matClass = (MatClass)(flags & 0xFF);
        bool isComplex = (flags & 0x800) != 0;
        bool isGlobal = (flags & 0x400) != 0;
        bool isLogical = (flags & 0x200) != 0;
        if (matClass is MatClass.FunctionHandle or MatClass.Opaque)
        {
            throw Unsupported(source, flagsTag.Offset, ReadNameOfUnsupported(source, end), matClass == MatClass.FunctionHandle
                ? "a function handle (class 16)"
                : "an opaque object (class 17: a MATLAB classdef object, string, table or similar)");
        }

        int[] dims = ReadDimensions(source, end);
        long elementCount = CheckedElementCount(source, flagsTag.End, dims, matClass);

        string name = ReadName(source, end, "array name");
        bool pushedName = depth == 0;
        if (pushedName)
        {
            location.Add(new Frame(FrameKind.Variable, name, 0));
        }

        try
        {
            MatArray result = matClass switch
            {
                MatClass.Double or MatClass.Single or MatClass.Int8 or MatClass.UInt8 or MatClass.Int16
                    or MatClass.UInt16 or MatClass.Int32 or MatClass.UInt32 or MatClass.Int64 or MatClass.UInt64 =>
                    ReadNumeric(source, end, name, dims, matClass, (int)elementCount, isGlobal, isLogical, isComplex),
                MatClass.Char => ReadChar(source, end, name, dims, (int)elementCount, isGlobal),
                MatClass.Cell => ReadCell(source, end, name, dims, (int)elementCount, isGlobal, depth),
                MatClass.Struct => ReadStruct(source, end, name, dims, (int)elementCount, isGlobal, depth, className: null),
                MatClass.Object => ReadStruct(
                    source, end, name, dims, (int)elementCount, isGlobal, depth, ReadName(source, end, "object class name")),
                MatClass.Sparse => ReadSparse(source, end, name, dims, isGlobal, isLogical, isComplex, nzmax),
                _ => throw source.Error(flagsTag.Offset, $"unknown array class {(int)matClass}"),
            };

            // Bytes the array's own elements did not account for are skipped, as MATLAB and scipy do.
            if (depth > 0)
            {
                source.SkipTo(tag.End);
            }

            return result;
        }
        finally
        {
            if (pushedName)
            {
                // Also drops frames that an exception left behind deeper down.
                location.Clear();
            }
        }
    }

    private static MatFileException Unsupported(MatSource source, long at, string name, string what) =>
        source.Error(at, $"{(name.Length == 0 ? "an element" : $"variable '{name}'")} is {what}, which this reader does not support");

    /// <summary>Opaque arrays have no dimensions element before the name, function handles do.</summary>
    private static string ReadNameOfUnsupported(MatSource source, long end)
    {
        MatElementTag tag = source.ReadTag(end, "array name");
        if (tag.Type == MatDataType.Int32)
        {
            source.SkipTo(tag.End);
            return ReadName(source, end, "array name");
        }

        if (tag.Type is not (MatDataType.Int8 or MatDataType.UInt8) || tag.ByteCount > MaxNameBytes)
        {
            return string.Empty;
        }

        byte[] bytes = MatNumericDecoder.ReadBytes(source, tag.ByteCount);
        return Encoding.Latin1.GetString(bytes).TrimEnd('\0');
    }

    private static int[] ReadDimensions(MatSource source, long end)
    {
        MatElementTag tag = source.ReadTag(end, "dimensions");
        if (tag.Type != MatDataType.Int32 || tag.ByteCount % 4 != 0)
        {
            throw source.Error(tag.Offset, $"dimensions must be miINT32, found {tag.ByteCount} bytes of {tag.TypeName}");
        }

        long rank = tag.ByteCount / 4;
        if (rank < 2 || rank > MaxRank)
        {
            throw source.Error(tag.Offset, $"an array must have between 2 and {MaxRank} dimensions, this one claims {rank}");
        }

        int[] dims = MatNumericDecoder.ReadArray<int>(source, MatDataType.Int32, (int)rank);
        source.SkipTo(tag.End);
        return dims;
    }

    private static long CheckedElementCount(MatSource source, long at, int[] dims, MatClass matClass)
    {
        // Sparse matrices may legitimately have more (virtual) elements than any .NET array.
        long limit = matClass == MatClass.Sparse ? long.MaxValue : Array.MaxLength;
        long count = 1;
        foreach (int d in dims)
        {
            if (d < 0)
            {
                throw source.Error(at, $"negative dimension {d} in {string.Join('x', dims)}");
            }

            if (d != 0 && count > limit / d)
            {
                count = -1;
                break;
            }

            count *= d;
        }

        if (count < 0 && !dims.Contains(0))
        {
            throw source.Error(at, $"dimensions {string.Join('x', dims)} describe more elements than can be held in memory");
        }

        if (matClass == MatClass.Sparse && dims.Length != 2)
        {
            throw source.Error(at, $"a sparse matrix must be 2-D, this one is {string.Join('x', dims)}");
        }

        return Math.Max(count, 0);
    }

    private static string ReadName(MatSource source, long end, string what)
    {
        MatElementTag tag = source.ReadTag(end, what);
        if (tag.Type is not (MatDataType.Int8 or MatDataType.UInt8 or MatDataType.Utf8))
        {
            throw source.Error(tag.Offset, $"{what} must be miINT8 text, found {tag.TypeName}");
        }

        if (tag.ByteCount > MaxNameBytes)
        {
            throw source.Error(tag.Offset, $"{what} is {tag.ByteCount} bytes long (names are at most 63 characters)");
        }

        byte[] bytes = MatNumericDecoder.ReadBytes(source, tag.ByteCount);
        source.SkipTo(tag.End);

        // Names are ASCII in practice; Latin-1 maps any byte to a character so that nothing can fail here.
        int length = Array.IndexOf(bytes, (byte)0);
        return Encoding.Latin1.GetString(bytes, 0, length < 0 ? bytes.Length : length);
    }

    private static MatNumericArray ReadNumeric(
        MatSource source, long end, string name, int[] dims, MatClass matClass, int count,
        bool isGlobal, bool isLogical, bool isComplex)
    {
        if (count == 0 && source.Position >= end)
        {
            // An empty array whose writer left out the (empty) data elements.
            return new MatNumericArray(name, dims, matClass, isGlobal, isLogical, CreateArray(matClass, 0),
                isComplex ? CreateArray(matClass, 0) : null);
        }

        Array real = ReadNumericPart(source, end, matClass, count, "real part");
        Array? imaginary = isComplex ? ReadNumericPart(source, end, matClass, count, "imaginary part") : null;
        return new MatNumericArray(name, dims, matClass, isGlobal, isLogical, real, imaginary);
    }

    private static Array ReadNumericPart(MatSource source, long end, MatClass matClass, int count, string what)
    {
        MatElementTag tag = source.ReadTag(end, what);
        int size = MatDataTypes.NumericSize(tag.Type);
        if (size == 0)
        {
            throw source.Error(tag.Offset, $"{what} of a {matClass} array must be numeric data, found {tag.TypeName}");
        }

        if (tag.ByteCount != (long)count * size)
        {
            throw source.Error(tag.Offset, $"{what} holds {tag.ByteCount} bytes of {tag.TypeName}, but the dimensions call for {count} values ({(long)count * size} bytes)");
        }

        Array data = matClass switch
        {
            MatClass.Double => MatNumericDecoder.ReadArray<double>(source, tag.Type, count),
            MatClass.Single => MatNumericDecoder.ReadArray<float>(source, tag.Type, count),
            MatClass.Int8 => MatNumericDecoder.ReadArray<sbyte>(source, tag.Type, count),
            MatClass.UInt8 => MatNumericDecoder.ReadArray<byte>(source, tag.Type, count),
            MatClass.Int16 => MatNumericDecoder.ReadArray<short>(source, tag.Type, count),
            MatClass.UInt16 => MatNumericDecoder.ReadArray<ushort>(source, tag.Type, count),
            MatClass.Int32 => MatNumericDecoder.ReadArray<int>(source, tag.Type, count),
            MatClass.UInt32 => MatNumericDecoder.ReadArray<uint>(source, tag.Type, count),
            MatClass.Int64 => MatNumericDecoder.ReadArray<long>(source, tag.Type, count),
            MatClass.UInt64 => MatNumericDecoder.ReadArray<ulong>(source, tag.Type, count),
            _ => throw new ArgumentOutOfRangeException(nameof(matClass)),
        };
        source.SkipTo(tag.End);
        return data;
    }

    private static Array CreateArray(MatClass matClass, int length) => matClass switch
    {
        MatClass.Double => new double[length],
        MatClass.Single => new float[length],
        MatClass.Int8 => new sbyte[length],
        MatClass.UInt8 => new byte[length],
        MatClass.Int16 => new short[length],
        MatClass.UInt16 => new ushort[length],
        MatClass.Int32 => new int[length],
        MatClass.UInt32 => new uint[length],
        MatClass.Int64 => new long[length],
        MatClass.UInt64 => new ulong[length],
        _ => throw new ArgumentOutOfRangeException(nameof(matClass)),
    };

    private static MatCharArray ReadChar(MatSource source, long end, string name, int[] dims, int count, bool isGlobal)
    {
        if (source.Position >= end && count == 0)
        {
            return new MatCharArray(name, dims, isGlobal, string.Empty);
        }

        MatElementTag tag = source.ReadTag(end, "char data");
        string text;
        if (tag.ByteCount == 0)
        {
            // MATLAB writes no data for some char arrays with non-zero dimensions; scipy reads those as blanks.
            // Nothing backs such text, so only believe small dimensions.
            if (count > MatSource.UnprovenAllocationFloor)
            {
                throw source.Error(tag.Offset, $"char array of {count} characters has no data");
            }

            text = new string(' ', count);
        }
        else
        {
            text = tag.Type switch
            {
                MatDataType.Utf8 => Encoding.UTF8.GetString(MatNumericDecoder.ReadBytes(source, tag.ByteCount)),
                MatDataType.Utf16 => (source.BigEndian ? Encoding.BigEndianUnicode : Encoding.Unicode)
                    .GetString(MatNumericDecoder.ReadBytes(source, tag.ByteCount)),
                MatDataType.Utf32 => new UTF32Encoding(source.BigEndian, byteOrderMark: false)
                    .GetString(MatNumericDecoder.ReadBytes(source, tag.ByteCount)),
                _ => ReadCodeUnits(source, tag, count),
            };
        }

        if (text.Length != count)
        {
            throw source.Error(tag.Offset, $"char data decodes to {text.Length} characters, but the dimensions {string.Join('x', dims)} call for {count}");
        }

        source.SkipTo(tag.End);
        return new MatCharArray(name, dims, isGlobal, text);
    }

    /// <summary>UCS-2 (miUINT16, the usual), or one code unit per value of any other numeric type.</summary>
    private static string ReadCodeUnits(MatSource source, MatElementTag tag, int count)
    {
        int size = MatDataTypes.NumericSize(tag.Type);
        if (size == 0)
        {
            throw source.Error(tag.Offset, $"char data must be text or integer codes, found {tag.TypeName}");
        }

        if (tag.ByteCount != (long)count * size)
        {
            throw source.Error(tag.Offset, $"char data holds {tag.ByteCount} bytes of {tag.TypeName}, but the dimensions call for {count} characters");
        }

        ushort[] units = MatNumericDecoder.ReadArray<ushort>(source, tag.Type, count);
        return new string(MemoryMarshal.Cast<ushort, char>(units));
    }

    private MatCellArray ReadCell(MatSource source, long end, string name, int[] dims, int count, bool isGlobal, int depth)
    {
        RequireRoomForElements(source, end, count, "cell");
        var elements = new List<MatArray>(Math.Min(count, InitialContainerCapacity));
        for (int i = 0; i < count; i++)
        {
            location.Add(new Frame(FrameKind.Cell, null, i));
            MatElementTag tag = source.ReadTag(end, "cell element");
            if (tag.Type != MatDataType.Matrix)
            {
                throw source.Error(tag.Offset, $"cell element must be miMATRIX, found {tag.TypeName}");
            }

            elements.Add(ReadMatrix(source, tag, depth + 1));
            location.RemoveAt(location.Count - 1);
        }

        return new MatCellArray(name, dims, isGlobal, elements);
    }

    private MatStructArray ReadStruct(
        MatSource source, long end, string name, int[] dims, int count, bool isGlobal, int depth, string? className)
    {
        MatElementTag lengthTag = source.ReadTag(end, "field name length");
        if (lengthTag.Type != MatDataType.Int32 || lengthTag.ByteCount != 4)
        {
            throw source.Error(lengthTag.Offset, $"field name length must be one miINT32, found {lengthTag.ByteCount} bytes of {lengthTag.TypeName}");
        }

        int nameLength = source.ReadInt32();
        source.SkipTo(lengthTag.End);

        MatElementTag namesTag = source.ReadTag(end, "field names");
        if (namesTag.Type is not (MatDataType.Int8 or MatDataType.UInt8))
        {
            throw source.Error(namesTag.Offset, $"field names must be miINT8, found {namesTag.TypeName}");
        }

        if (namesTag.ByteCount > 0 && (nameLength <= 0 || namesTag.ByteCount % nameLength != 0))
        {
            throw source.Error(namesTag.Offset, $"field names take {namesTag.ByteCount} bytes, which is not a multiple of the field name length {nameLength}");
        }

        byte[] nameBytes = MatNumericDecoder.ReadBytes(source, namesTag.ByteCount);
        source.SkipTo(namesTag.End);
        int fieldCount = nameBytes.Length == 0 ? 0 : nameBytes.Length / nameLength;
        var fieldNames = new string[fieldCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int f = 0; f < fieldCount; f++)
        {
            ReadOnlySpan<byte> raw = nameBytes.AsSpan(f * nameLength, nameLength);
            int nul = raw.IndexOf((byte)0);
            fieldNames[f] = Encoding.Latin1.GetString(nul < 0 ? raw : raw[..nul]);
            if (!seen.Add(fieldNames[f]))
            {
                throw source.Error(namesTag.Offset, $"field name '{fieldNames[f]}' appears twice");
            }
        }

        long valueCount = (long)count * fieldCount;
        RequireRoomForElements(source, end, valueCount, "struct");
        var values = new List<MatArray>((int)Math.Min(valueCount, InitialContainerCapacity));

        // Without fields there is nothing to read per element: looping over a damaged count of 1.5 billion empty
        // elements took 3 s, more than the fuzz test's 5 s limit on a busy machine.
        for (int e = 0; fieldCount > 0 && e < count; e++)
        {
            for (int f = 0; f < fieldCount; f++)
            {
                location.Add(new Frame(FrameKind.Field, fieldNames[f], count == 1 ? -1 : e));
                MatElementTag tag = source.ReadTag(end, "field value");
                if (tag.Type != MatDataType.Matrix)
                {
                    throw source.Error(tag.Offset, $"field value must be miMATRIX, found {tag.TypeName}");
                }

                values.Add(ReadMatrix(source, tag, depth + 1));
                location.RemoveAt(location.Count - 1);
            }
        }

        return className is null
            ? new MatStructArray(name, dims, MatClass.Struct, isGlobal, fieldNames, values)
            : new MatObjectArray(name, dims, isGlobal, className, fieldNames, values);
    }

    /// <summary>Every nested array takes at least an 8-byte tag, which bounds how many can be there.</summary>
    private static void RequireRoomForElements(MatSource source, long end, long count, string what)
    {
        long room = end - source.Position;
        if (count > room / 8)
        {
            throw source.Error(source.Position, $"{what} claims {count} elements, but only {room} bytes remain in the array");
        }
    }

    private static MatSparseArray ReadSparse(
        MatSource source, long end, string name, int[] dims, bool isGlobal, bool isLogical, bool isComplex, uint nzmax)
    {
        int rows = dims[0];
        int columns = dims[1];
        int[] rowIndices = ReadIndexElement(source, end, "sparse row indices (ir)", out long irOffset);
        int[] columnStarts = ReadIndexElement(source, end, "sparse column starts (jc)", out long jcOffset);
        if (columnStarts.Length != (long)columns + 1)
        {
            throw source.Error(jcOffset, $"sparse column starts (jc) hold {columnStarts.Length} values, a matrix with {columns} columns needs {(long)columns + 1}");
        }

        if (columnStarts[0] != 0)
        {
            throw source.Error(jcOffset, $"sparse column starts (jc) must begin at 0, not {columnStarts[0]}");
        }

        for (int j = 0; j < columns; j++)
        {
            if (columnStarts[j + 1] < columnStarts[j])
            {
                throw source.Error(jcOffset, $"sparse column starts (jc) decrease at column {j + 1}");
            }
        }

        int nonZeros = columnStarts[columns];
        if (nonZeros > rowIndices.Length)
        {
            throw source.Error(irOffset, $"sparse matrix has {nonZeros} entries by jc but only {rowIndices.Length} row indices (nzmax {nzmax})");
        }

        for (int k = 0; k < nonZeros; k++)
        {
            if ((uint)rowIndices[k] >= (uint)rows)
            {
                throw source.Error(irOffset, $"sparse row index {rowIndices[k]} is outside the {rows} rows");
            }
        }

        if (rowIndices.Length != nonZeros)
        {
            Array.Resize(ref rowIndices, nonZeros);
        }

        if (isLogical)
        {
            bool[] logical;
            if (source.Position >= end)
            {
                // Without a data element every stored entry of a logical matrix is true.
                logical = new bool[nonZeros];
                Array.Fill(logical, true);
            }
            else
            {
                double[] stored = ReadSparseValues(source, end, nonZeros, "sparse values (pr)");
                logical = Array.ConvertAll(stored, v => v != 0);
            }

            return new MatSparseArray(name, dims, isGlobal, rowIndices, columnStarts, null, null, logical);
        }

        double[] real = ReadSparseValues(source, end, nonZeros, "sparse real values (pr)");
        double[]? imaginary = isComplex ? ReadSparseValues(source, end, nonZeros, "sparse imaginary values (pi)") : null;
        return new MatSparseArray(name, dims, isGlobal, rowIndices, columnStarts, real, imaginary, null);
    }

    private static int[] ReadIndexElement(MatSource source, long end, string what, out long offset)
    {
        MatElementTag tag = source.ReadTag(end, what);
        offset = tag.Offset;
        int size = MatDataTypes.NumericSize(tag.Type);
        if (tag.Type is MatDataType.Single or MatDataType.Double || size == 0 || tag.ByteCount % size != 0)
        {
            throw source.Error(tag.Offset, $"{what} must be integers, found {tag.ByteCount} bytes of {tag.TypeName}");
        }

        long count = tag.ByteCount / size;
        if (count > Array.MaxLength)
        {
            throw source.Error(tag.Offset, $"{what} hold {count} values, more than can be held in memory");
        }

        int[] values = MatNumericDecoder.ReadArray<int>(source, tag.Type, (int)count);
        source.SkipTo(tag.End);
        return values;
    }

    /// <summary>The value element may hold nzmax values, more than the entries jc counts; the rest is unused.</summary>
    private static double[] ReadSparseValues(MatSource source, long end, int nonZeros, string what)
    {
        MatElementTag tag = source.ReadTag(end, what);
        int size = MatDataTypes.NumericSize(tag.Type);
        if (size == 0 || tag.ByteCount % size != 0)
        {
            throw source.Error(tag.Offset, $"{what} must be numeric, found {tag.ByteCount} bytes of {tag.TypeName}");
        }

        long stored = tag.ByteCount / size;
        if (stored < nonZeros)
        {
            throw source.Error(tag.Offset, $"{what} hold {stored} values, but jc counts {nonZeros} entries");
        }

        double[] values = MatNumericDecoder.ReadArray<double>(source, tag.Type, nonZeros);
        source.SkipTo(tag.End);
        return values;
    }

    private enum FrameKind
    {
        Variable,
        Cell,
        Field,
    }

    /// <summary>One step of the path to the array being read; Index is -1 for a field of a 1x1 struct, written without one.</summary>
    private readonly record struct Frame(FrameKind Kind, string? Text, long Index);
}
