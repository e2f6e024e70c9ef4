using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NeuralStyle.Files;

namespace NeuralStyle.Weights.Cache;

/// <summary>Reads and writes the user's catalog, <c>&lt;cache&gt;/catalog.json</c>.</summary>
/// <remarks>
/// The format (every field but name, file and a hash optional):
/// <code>
/// { "weights": [ { "name": "vgg19-studio", "file": "vgg19-dcbb9e9d.pth", "format": "pth", "architecture": "vgg19",
///                  "size": 574673361, "sha256": "dcbb9e9d...", "md5": null, "sha256Prefix": null,
///                  "urls": ["https://mirror.example/vgg19-dcbb9e9d.pth"], "licence": "...", "input": "..." } ] }
/// </code>
/// An entry needs a full "sha256", or "md5" with "size", or "sha256Prefix": the cache never keeps an unchecked file.
/// </remarks>
public static partial class UserCatalog
{
    /// <summary>The entries of <paramref name="path"/>; none when the file does not exist.</summary>
    /// <exception cref="WeightsCatalogException">The file is not valid JSON or an entry is wrong (the message names the file, the entry and the field).</exception>
    public static IReadOnlyList<WeightsEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new WeightsCatalogException($"{path}: not valid JSON: {MessageText.OneLine(e.Message)}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeightsCatalogException($"{path}: cannot read: {MessageText.OneLine(e.Message)}", e);
        }

        if (root is not JsonObject obj || obj["weights"] is not JsonArray list)
        {
            throw new WeightsCatalogException($"{path}: expected an object with a \"weights\" array");
        }

        var entries = new List<WeightsEntry>();
        for (int i = 0; i < list.Count; i++)
        {
            WeightsEntry entry = Entry(path, i, list[i]);
            if (entries.Any(e => string.Equals(e.Name, entry.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new WeightsCatalogException($"{path}: weights[{i}]: the name \"{entry.Name}\" appears twice");
            }

            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>Adds <paramref name="entry"/> to <paramref name="path"/> (replacing an entry of the same name), atomically.</summary>
    /// <exception cref="WeightsCatalogException">The existing file is not a valid catalog (it is left as it is).</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Add(string path, WeightsEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var entries = Read(path).Where(e => !string.Equals(e.Name, entry.Name, StringComparison.OrdinalIgnoreCase)).Append(entry with { BuiltIn = false });
        var root = new JsonObject { ["weights"] = new JsonArray([.. entries.Select(ToJson)]) };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, "the weights catalog", stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            root.WriteTo(writer);
        });
    }

    /// <summary>True when <paramref name="name"/> can name an entry: letters, digits, '-' and '_' (no '.', no '/').</summary>
    /// <remarks>Such a name is never taken for a file by <c>--network</c>, which treats names with an extension as paths.</remarks>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>True when <paramref name="fileName"/> can be a cached file's name (no directory, not one of the cache's own files).</summary>
    public static bool IsValidFileName(string fileName) =>
        fileName.Length > 0 && fileName.IndexOfAny(['/', '\\', '\0']) < 0 && fileName is not ("." or ".." or "catalog.json" or "verified.json" or "partial")
        && !fileName.EndsWith(".tmp", StringComparison.Ordinal);

    /// <summary>True when <paramref name="hex"/> is <paramref name="digits"/> hexadecimal digits.</summary>
    public static bool IsHex(string hex, int digits) => hex.Length == digits && hex.All(char.IsAsciiHexDigit);

    private static WeightsEntry Entry(string path, int index, JsonNode? node)
    {
        string where = $"{path}: weights[{index}]";
        if (node is not JsonObject o)
        {
            throw new WeightsCatalogException($"{where}: expected an object");
        }

        string name = Text(o, "name", where) ?? throw new WeightsCatalogException($"{where}: \"name\" is missing");
        where = $"{where} (\"{MessageText.OneLine(name)}\")";
        if (!IsValidName(name))
        {
            throw new WeightsCatalogException($"{where}: \"name\" may hold only letters, digits, '-' and '_'");
        }

        string file = Text(o, "file", where) ?? throw new WeightsCatalogException($"{where}: \"file\" is missing");
        if (!IsValidFileName(file))
        {
            throw new WeightsCatalogException($"{where}: \"file\" must be a plain file name, got \"{MessageText.OneLine(file)}\"");
        }

        long? size = null;
        if (o["size"] is JsonNode s)
        {
            size = s is JsonValue v && v.TryGetValue(out long n) && n >= 0 ? n : throw new WeightsCatalogException($"{where}: \"size\" must be a non-negative integer");
        }

        string? sha256 = Hash(o, "sha256", 64, where);
        string? md5 = Hash(o, "md5", 32, where);
        string? prefix = Text(o, "sha256Prefix", where)?.ToLowerInvariant();
        if (prefix is not null && (prefix.Length is < 8 or > 64 || !prefix.All(char.IsAsciiHexDigit)))
        {
            throw new WeightsCatalogException($"{where}: \"sha256Prefix\" must be 8 to 64 hexadecimal digits");
        }

        if (sha256 is null && (md5 is null || size is null) && prefix is null)
        {
            throw new WeightsCatalogException($"{where}: give \"sha256\" (or \"md5\" with \"size\", or \"sha256Prefix\"): the cache keeps only files it can check");
        }

        var urls = new List<string>();
        if (o["urls"] is JsonNode u)
        {
            if (u is not JsonArray array)
            {
                throw new WeightsCatalogException($"{where}: \"urls\" must be an array of strings");
            }

            foreach (JsonNode? item in array)
            {
                string url = item is JsonValue value && value.TryGetValue(out string? text) ? text : throw new WeightsCatalogException($"{where}: \"urls\" must be an array of strings");
                urls.Add(IsHttpUrl(url) ? url : throw new WeightsCatalogException($"{where}: \"{MessageText.OneLine(url)}\" is not an http or https URL"));
            }
        }

        return new WeightsEntry(
            name,
            file,
            Text(o, "format", where) ?? FormatOf(file),
            Text(o, "architecture", where) ?? "unknown",
            size,
            new WeightsVerification(sha256, md5, sha256 is null && md5 is null ? prefix : null),
            urls,
            Text(o, "licence", where) ?? "unknown (user catalog)",
            Text(o, "input", where) ?? "unknown",
            BuiltIn: false);
    }

    /// <summary>True when <paramref name="url"/> is an absolute http or https URL.</summary>
    public static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>A format word from a file name's extension (<c>pth</c>, <c>mat</c>, ...).</summary>
    public static string FormatOf(string fileName) =>
        Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant() is { Length: > 0 } ext ? ext : "unknown";

    private static string? Text(JsonObject o, string field, string where) => o[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => throw new WeightsCatalogException($"{where}: \"{field}\" must be a string"),
    };

    private static string? Hash(JsonObject o, string field, int digits, string where)
    {
        string? hex = Text(o, field, where);
        return hex is null || IsHex(hex, digits)
            ? hex?.ToLowerInvariant()
            : throw new WeightsCatalogException(string.Create(CultureInfo.InvariantCulture, $"{where}: \"{field}\" must be {digits} hexadecimal digits"));
    }

    private static JsonObject ToJson(WeightsEntry e) => new()
    {
        ["name"] = e.Name,
        ["file"] = e.FileName,
        ["format"] = e.Format,
        ["architecture"] = e.Architecture,
        ["size"] = e.Size,
        ["sha256"] = e.Verification.Sha256,
        ["md5"] = e.Verification.Md5,
        ["sha256Prefix"] = e.Verification.Sha256Prefix,
        ["urls"] = new JsonArray([.. e.Urls.Select(u => (JsonNode)JsonValue.Create(u))]),
        ["licence"] = e.Licence,
        ["input"] = e.InputConvention,
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex NamePattern();
}
