namespace NeuralStyle.Cli;

/// <summary>Finds <c>--resume OUTPUT.json</c> before parsing: a resumed run's parser takes its content, styles and output from the record.</summary>
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
}
