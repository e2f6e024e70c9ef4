using System.Text.Json;

namespace NeuralStyle.Jobs;

/// <summary>What a run manifest holds for continuing the run: its specification, its state file and its thread count.</summary>
/// <param name="Spec">The job's specification as recorded (with the seed it used).</param>
/// <param name="StatePath">The state to resume from.</param>
/// <param name="Threads">The threads it ran with (a resumed run repeats the original's numbers only with the same count).</param>
public sealed record RunRecord(StyleJobSpec Spec, string StatePath, int? Threads)
{
    /// <summary>Reads OUTPUT.json.</summary>
    /// <exception cref="JobSpecException">The file is missing or a directory, is not a manifest of this tool, or records no state.</exception>
    public static RunRecord Load(string manifestPath)
    {
        ArgumentNullException.ThrowIfNull(manifestPath);
        if (Directory.Exists(manifestPath))
        {
            throw new JobSpecException($"cannot resume: {manifestPath} is a directory, not a run manifest (give OUTPUT.json)");
        }

        if (!File.Exists(manifestPath))
        {
            throw new JobSpecException($"cannot resume: {manifestPath} does not exist");
        }

        if (NotJsonReason(manifestPath) is string notJson)
        {
            throw new JobSpecException($"cannot resume: {manifestPath} is not a run manifest ({notJson})");
        }

        StyleJobSpec? spec;
        string? state;
        int? threads;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(manifestPath));
            JsonElement root = doc.RootElement;
            if (!root.TryGetProperty("spec", out JsonElement recorded))
            {
                throw new JobSpecException($"cannot resume: {manifestPath} records no job specification (it was written by an older neural-style; run it again)");
            }

            spec = recorded.Deserialize<StyleJobSpec>(ManifestRecorder.Json);
            state = root.TryGetProperty("state", out JsonElement s) ? s.GetString() : null;
            threads = root.TryGetProperty("options", out JsonElement o) && o.TryGetProperty("threads", out JsonElement t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or NotSupportedException or FormatException)
        {
            throw new JobSpecException($"cannot resume: {manifestPath} is not a neural-style run manifest ({e.Message})", e);
        }

        if (spec is null)
        {
            throw new JobSpecException($"cannot resume: {manifestPath} is not a neural-style run manifest");
        }

        if (state is null || !File.Exists(state))
        {
            throw new JobSpecException($"cannot resume: {manifestPath} records no saved state (the run ended before its first checkpoint, or OUTPUT.state was removed)");
        }

        return new RunRecord(spec, state, threads);
    }

    // A manifest is a JSON object: its first byte after a UTF-8 BOM and white space is '{'. Looking at the head first
    // answers "not JSON" for an image or a state file given by mistake, without reading the whole file.
    private static string? NotJsonReason(string path)
    {
        byte[] head = new byte[4096];
        int read;
        using (FileStream stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        ReadOnlySpan<byte> text = head.AsSpan(0, read);
        text = (text.StartsWith("\uFEFF"u8) ? text[3..] : text).TrimStart(" \t\r\n"u8);
        if ((text.IsEmpty && read == head.Length) || (!text.IsEmpty && text[0] == (byte)'{'))
        {
            return null;
        }

        string sibling = ManifestRecorder.PathFor(path);
        string hint = !string.Equals(sibling, path, StringComparison.Ordinal) && File.Exists(sibling) ? $"did you mean {sibling}?" : "give OUTPUT.json";
        return text.IsEmpty ? $"it is empty; {hint}" : $"it is not a JSON object; {hint}";
    }
}
