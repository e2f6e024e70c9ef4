using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace NeuralStyle.Weights.SafeTensors;

/// <summary>The checked header of a safetensors file: its tensors in header order, its metadata, where the data starts.</summary>
/// <remarks>
/// <para>Layout: 8 bytes N (unsigned little-endian), N bytes of UTF-8 JSON beginning with '{' and possibly padded with
/// spaces, then the data region. The JSON maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]}
/// with offsets relative to the data region; an optional "__metadata__" maps strings to strings.</para>
/// <para>Checked as the reference implementation (huggingface/safetensors) checks, so that a file it refuses is refused
/// here too: the header at most 100,000,000 bytes, no name twice, each range exactly the size its shape and dtype give,
/// and the ranges, sorted, tiling the data region with neither gaps nor overlaps nor bytes after the last one. The
/// format's notes forbid holes so that no other content (a polyglot file) can hide in the data region. Fields of an
/// entry other than the three are ignored, as the reference's parser ignores them.</para>
/// </remarks>
public sealed class SafeTensorsHeader
{
    /// <summary>The largest header accepted: the reference implementation's limit.</summary>
    public const long MaxLength = 100_000_000;

    /// <summary>The size of the header length field before the JSON.</summary>
    public const int LengthFieldSize = 8;

    private const string MetadataKey = "__metadata__";

    private SafeTensorsHeader(IReadOnlyList<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata, long dataStart, long dataLength)
    {
        Entries = entries;
        Metadata = metadata;
        DataStart = dataStart;
        DataLength = dataLength;
    }

    /// <summary>The tensors, in the order the header lists them.</summary>
    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    /// <summary>The "__metadata__" strings, or null when the header has none.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; }

    /// <summary>The file offset of the data region (8 + the header length).</summary>
    public long DataStart { get; }

    /// <summary>The size of the data region in bytes.</summary>
    public long DataLength { get; }

    /// <summary>Checks the header length read from the file's first 8 bytes against the file size; returns it as a long.</summary>
    internal static long CheckLength(ulong length, long fileLength, string sourceName)
    {
        if (length > MaxLength)
        {
            throw new SafeTensorsFormatException(sourceName, $"the header length at offset 0 is {length} bytes, more than the {MaxLength} a safetensors header may have (not a safetensors file, or a damaged one)");
        }

        if ((long)length > fileLength - LengthFieldSize)
        {
            throw new SafeTensorsFormatException(sourceName, $"the header length at offset 0 is {length} bytes, but only {fileLength - LengthFieldSize} follow it (the file is {fileLength} bytes: truncated, or not a safetensors file)");
        }

        return (long)length;
    }

    /// <summary>Parses and checks <paramref name="json"/>, the header that starts at file offset 8, for a file of <paramref name="fileLength"/> bytes.</summary>
    /// <exception cref="SafeTensorsFormatException">The header is not a valid safetensors header for this file.</exception>
    internal static SafeTensorsHeader Parse(ReadOnlySpan<byte> json, long fileLength, string sourceName)
    {
        long dataStart = LengthFieldSize + json.Length;
        long dataLength = fileLength - dataStart;
        CheckUtf8(json, sourceName);
        if (json.Length == 0 || json[0] != (byte)'{')
        {
            throw Fail(sourceName, 0, "the header does not begin with '{' (a safetensors header is a JSON object)");
        }

        var entries = new List<SafeTensorsEntry>();
        Dictionary<string, string>? metadata = null;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                long at = reader.TokenStartIndex;
                string name = reader.GetString()!;
                if (!names.Add(name))
                {
                    // JSON parsers keep either the first or the last of two equal keys; a checker and a loader that
                    // differ would see different tensors, so the format forbids them.
                    throw Fail(sourceName, at, $"the name '{name}' appears twice in the header");
                }

                reader.Read();
                if (name == MetadataKey)
                {
                    // null is what a serializer writes for "no metadata"; it means the same as leaving the key out.
                    metadata = reader.TokenType == JsonTokenType.Null ? null : ReadMetadata(ref reader, at, sourceName);
                }
                else
                {
                    entries.Add(ReadEntry(ref reader, name, at, dataLength, dataStart, sourceName));
                }
            }

            for (long i = reader.BytesConsumed; i < json.Length; i++)
            {
                if (json[(int)i] is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
                {
                    throw Fail(sourceName, i, "the header has bytes after its JSON object (only space padding may follow it)");
                }
            }
        }
        catch (JsonException e)
        {
            throw Fail(sourceName, ErrorOffset(json, e), $"the header is not valid JSON ({FirstSentence(e.Message)})", e);
        }

        CheckTiling(entries, dataStart, dataLength, sourceName);
        return new SafeTensorsHeader(entries, metadata, dataStart, dataLength);
    }

    private static Dictionary<string, string> ReadMetadata(ref Utf8JsonReader reader, long at, string sourceName)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(sourceName, at, $"'{MetadataKey}' is {Describe(reader.TokenType)}, not an object of strings");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            long keyAt = reader.TokenStartIndex;
            string key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw Fail(sourceName, keyAt, $"the metadata value of '{key}' is {Describe(reader.TokenType)}; safetensors metadata maps strings to strings");
            }

            if (!metadata.TryAdd(key, reader.GetString()!))
            {
                throw Fail(sourceName, keyAt, $"the metadata key '{key}' appears twice");
            }
        }

        return metadata;
    }

    private static SafeTensorsEntry ReadEntry(ref Utf8JsonReader reader, string name, long at, long dataLength, long dataStart, string sourceName)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(sourceName, at, $"the entry of tensor '{name}' is {Describe(reader.TokenType)}, not an object with dtype, shape and data_offsets");
        }

        string? dtypeName = null;
        long[]? shape = null;
        long[]? offsets = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            long fieldAt = reader.TokenStartIndex;
            string field = reader.GetString()!;
            reader.Read();
            bool known = field is "dtype" or "shape" or "data_offsets";
            if (known && (field == "dtype" ? dtypeName is not null : field == "shape" ? shape is not null : offsets is not null))
            {
                throw Fail(sourceName, fieldAt, $"tensor '{name}' has '{field}' twice");
            }

            switch (field)
            {
                case "dtype":
                    dtypeName = reader.TokenType == JsonTokenType.String
                        ? reader.GetString()!
                        : throw Fail(sourceName, fieldAt, $"tensor '{name}': dtype is {Describe(reader.TokenType)}, not a string");
                    break;
                case "shape":
                    shape = ReadIntegers(ref reader, name, "shape", fieldAt, sourceName);
                    break;
                case "data_offsets":
                    offsets = ReadIntegers(ref reader, name, "data_offsets", fieldAt, sourceName);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        string[] missing = [.. new[] { dtypeName is null ? "dtype" : null, shape is null ? "shape" : null, offsets is null ? "data_offsets" : null }.OfType<string>()];
        if (missing.Length > 0)
        {
            throw Fail(sourceName, at, $"tensor '{name}' has no {string.Join(" and no ", missing)}");
        }

        SafeTensorsDtype dtype = SafeTensorsDtype.Find(dtypeName!)
            ?? throw Fail(sourceName, at, $"tensor '{name}' has dtype '{dtypeName}', which is not a safetensors dtype");
        if (offsets!.Length != 2)
        {
            throw Fail(sourceName, at, $"tensor '{name}': data_offsets has {offsets.Length} numbers, not 2 ([begin, end])");
        }

        long bytes = ByteCount(name, dtype, shape!, at, sourceName);
        (long begin, long end) = (offsets[0], offsets[1]);
        string where = $"data_offsets [{begin}, {end}]";
        if (end < begin)
        {
            throw Fail(sourceName, at, $"tensor '{name}': {where} ends before it begins");
        }

        if (end > dataLength)
        {
            throw Fail(sourceName, at, $"tensor '{name}': {where} reach past the data region, which has {dataLength} bytes (file offsets {dataStart} to {dataStart + dataLength})");
        }

        if (end - begin != bytes)
        {
            throw Fail(sourceName, at, $"tensor '{name}': {where} hold {end - begin} bytes, but shape {Shape(shape!)} of {dtype} needs {bytes}");
        }

        return new SafeTensorsEntry(name, dtype, shape!, begin, end);
    }

    /// <summary>An array of non-negative integers, each at most long.MaxValue.</summary>
    private static long[] ReadIntegers(ref Utf8JsonReader reader, string name, string field, long fieldAt, string sourceName)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Fail(sourceName, fieldAt, $"tensor '{name}': {field} is {Describe(reader.TokenType)}, not an array of integers");
        }

        var values = new List<long>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            long valueAt = reader.TokenStartIndex;
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw Fail(sourceName, valueAt, $"tensor '{name}': {field} holds {Describe(reader.TokenType)}, not only integers");
            }

            if (reader.TryGetUInt64(out ulong value))
            {
                values.Add(value <= long.MaxValue
                    ? (long)value
                    : throw Fail(sourceName, valueAt, $"tensor '{name}': {field} holds {value}, too large for any file or tensor"));
            }
            else
            {
                string text = Encoding.UTF8.GetString(reader.ValueSpan);
                throw Fail(sourceName, valueAt, reader.TryGetInt64(out long negative)
                    ? $"tensor '{name}': {field} holds the negative number {negative}"
                    : $"tensor '{name}': {field} holds {text}, not an integer");
            }
        }

        return [.. values];
    }

    /// <summary>The bytes a tensor of <paramref name="shape"/> and <paramref name="dtype"/> needs, refusing products that overflow.</summary>
    private static long ByteCount(string name, SafeTensorsDtype dtype, long[] shape, long at, string sourceName)
    {
        if (!Tensors.TensorShapes.IsAddressable(shape))
        {
            // Also for an empty tensor: LibTorch multiplies the other sizes even when one is 0.
            throw Fail(sourceName, at, $"tensor '{name}': shape {Shape(shape)} has more elements than a tensor can address");
        }

        long elements = shape.Contains(0) ? 0 : shape.Aggregate(1L, (a, b) => a * b);
        if (elements > long.MaxValue / dtype.Bits)
        {
            throw Fail(sourceName, at, $"tensor '{name}': shape {Shape(shape)} of {dtype} needs more bytes than a file can hold");
        }

        long bits = elements * dtype.Bits;
        return bits % 8 == 0
            ? bits / 8
            : throw Fail(sourceName, at, $"tensor '{name}': shape {Shape(shape)} of the {dtype.Bits}-bit {dtype} does not fill whole bytes");
    }

    /// <summary>Sorted by range, the tensors must cover the data region exactly: each begins where the one before ends.</summary>
    private static void CheckTiling(List<SafeTensorsEntry> entries, long dataStart, long dataLength, string sourceName)
    {
        SafeTensorsEntry[] sorted = [.. entries.OrderBy(e => e.Begin).ThenBy(e => e.End)];
        long covered = 0;
        SafeTensorsEntry? previous = null;
        foreach (SafeTensorsEntry e in sorted)
        {
            if (e.Begin < covered)
            {
                throw new SafeTensorsFormatException(sourceName, $"tensors '{previous!.Name}' (data_offsets [{previous.Begin}, {previous.End}]) and '{e.Name}' ([{e.Begin}, {e.End}]) overlap at file offset {dataStart + e.Begin}");
            }

            if (e.Begin > covered)
            {
                throw new SafeTensorsFormatException(sourceName, $"bytes {covered} to {e.Begin} of the data region (file offsets {dataStart + covered} to {dataStart + e.Begin}) belong to no tensor; the format forbids holes");
            }

            covered = e.End;
            previous = e;
        }

        if (covered != dataLength)
        {
            throw new SafeTensorsFormatException(sourceName, $"the tensors end at byte {covered} of the data region, but {dataLength - covered} more bytes follow (file offsets {dataStart + covered} to {dataStart + dataLength}); the format forbids trailing data");
        }
    }

    private static void CheckUtf8(ReadOnlySpan<byte> json, string sourceName)
    {
        if (Utf8.IsValid(json))
        {
            return;
        }

        int at = 0;
        while (System.Text.Rune.DecodeFromUtf8(json[at..], out _, out int consumed) == System.Buffers.OperationStatus.Done)
        {
            at += consumed;
        }

        throw Fail(sourceName, at, "the header is not valid UTF-8");
    }

    /// <summary>The header offset of a JSON error, from the reader's line and position in the line.</summary>
    private static long ErrorOffset(ReadOnlySpan<byte> json, JsonException e)
    {
        long line = e.LineNumber ?? 0, start = 0;
        for (int i = 0; i < json.Length && line > 0; i++)
        {
            if (json[i] == (byte)'\n')
            {
                line--;
                start = i + 1;
            }
        }

        return Math.Min(start + (e.BytePositionInLine ?? 0), json.Length);
    }

    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).TrimEnd('.', ' ');
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>An error at byte <paramref name="headerOffset"/> of the header, reported as a file offset.</summary>
    private static SafeTensorsFormatException Fail(string sourceName, long headerOffset, string detail, Exception? inner = null) =>
        new(sourceName, $"{detail} (at file offset {LengthFieldSize + headerOffset})", inner);
}
