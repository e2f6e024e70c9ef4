using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralStyle.Files;

namespace NeuralStyle.Weights.Cache;

/// <summary>
/// Remembers files already hashed (<c>&lt;cache&gt;/verified.json</c>, keyed by full path, with the size and modification
/// time they had), so that a 550 MB file is not hashed again on every run. <c>weights verify</c> ignores it.
/// </summary>
/// <remarks>
/// A file that changed has another size or time and is hashed again. The record is a convenience: an unreadable or
/// damaged one counts as empty, and a failure to write it is ignored (the next run hashes again).
/// </remarks>
internal sealed class VerificationMemo(string path)
{
    /// <summary>The digest recorded for <paramref name="file"/>, if the file still has the size and time it had then.</summary>
    public FileDigest? Recall(string file, bool needMd5)
    {
        var info = new FileInfo(file);
        if (!info.Exists || Load()[Path.GetFullPath(file)] is not JsonObject record)
        {
            return null;
        }

        try
        {
            long size = record["size"]!.GetValue<long>();
            long modified = record["modified"]!.GetValue<long>();
            string sha256 = record["sha256"]!.GetValue<string>();
            string? md5 = record["md5"]?.GetValue<string>();
            bool current = size == info.Length && modified == info.LastWriteTimeUtc.Ticks;
            return current && (md5 is not null || !needMd5) ? new FileDigest(size, sha256, md5) : null;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            return null;
        }
    }

    /// <summary>Records <paramref name="digest"/> as the hash of <paramref name="file"/> as it is now.</summary>
    public void Remember(string file, FileDigest digest)
    {
        var info = new FileInfo(file);
        JsonObject files = Load();
        files[Path.GetFullPath(file)] = new JsonObject
        {
            ["size"] = digest.Size,
            ["modified"] = info.LastWriteTimeUtc.Ticks,
            ["sha256"] = digest.Sha256,
            ["md5"] = digest.Md5,
        };
        // Forget files that are gone, so the record does not grow without end.
        foreach (string gone in files.Select(f => f.Key).Where(f => !File.Exists(f)).ToList())
        {
            files.Remove(gone);
        }

        Save(files);
    }

    private void Save(JsonObject files)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.Write(path, "the verification record", stream =>
            {
                using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
                new JsonObject { ["files"] = files }.WriteTo(writer);
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort (see the remarks).
        }
    }

    private JsonObject Load()
    {
        try
        {
            return File.Exists(path) && JsonNode.Parse(File.ReadAllText(path))?["files"] is JsonObject files
                ? (JsonObject)files.DeepClone()
                : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return [];
        }
    }
}
