using System.Text.Json;

namespace NeuralStyle.Cli;

/// <summary>Turns <c>--resume OUTPUT.json [overrides]</c> into the recorded run's arguments with the overrides applied.</summary>
internal static class ResumeArguments
{
    /// <summary>The manifest named by --resume, or null when the arguments do not resume.</summary>
    public static string? ManifestPath(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--resume")
            {
                return i + 1 < args.Length ? args[i + 1] : throw new UsageException("--resume needs the OUTPUT.json of the run to continue");
            }

            if (args[i].StartsWith("--resume=", StringComparison.Ordinal))
            {
                return args[i]["--resume=".Length..];
            }
        }

        return null;
    }

    /// <summary>The recorded arguments, each option given now replacing the recorded one, plus --overwrite (a resumed run replaces its own files).</summary>
    public static (string[] Arguments, string StatePath) Merge(string manifestPath, string[] args)
    {
        if (!File.Exists(manifestPath))
        {
            throw new UsageException($"cannot resume: {manifestPath} does not exist");
        }

        string[] recorded;
        string? state;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(manifestPath));
            recorded = [.. doc.RootElement.GetProperty("arguments").EnumerateArray().Select(a => a.GetString() ?? "")];
            state = doc.RootElement.TryGetProperty("state", out JsonElement s) ? s.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UsageException($"cannot resume: {manifestPath} is not a neural-style run manifest ({e.Message})");
        }

        if (state is null || !File.Exists(state))
        {
            throw new UsageException($"cannot resume: {manifestPath} records no saved state (the run ended before its first checkpoint, or OUTPUT.state was removed)");
        }

        var overrides = Groups(args).Where(g => g.Name is not "--resume").ToList();
        var names = overrides.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var merged = Groups(recorded).Where(g => !names.Contains(g.Name) && g.Name is not "--resume").Concat(overrides).SelectMany(g => g.Tokens).ToList();
        if (!merged.Contains("--overwrite"))
        {
            merged.Add("--overwrite");
        }

        return ([.. merged], state);
    }

    // An option and the values after it; "--name=value" counts as the option "--name".
    private static List<(string Name, List<string> Tokens)> Groups(IEnumerable<string> args)
    {
        var groups = new List<(string Name, List<string> Tokens)>();
        foreach (string arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                int eq = arg.IndexOf('=');
                groups.Add((eq < 0 ? arg : arg[..eq], [arg]));
            }
            else if (groups.Count > 0)
            {
                groups[^1].Tokens.Add(arg);
            }
        }

        return groups;
    }
}
