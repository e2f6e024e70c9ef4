using System.Text.RegularExpressions;
using NeuralStyle.Files;

namespace NeuralStyle.Jobs;

/// <summary>
/// Removes the temporary files a killed run of the same outputs left behind, when a run starts or resumes: files that are
/// provably that run's, by exact name or by the exact pattern of its own temporary names, and nothing else.
/// </summary>
/// <remarks>
/// The names: OUTPUT.json.tmp and OUTPUT.state.tmp (<see cref="AtomicFile"/>), of this run's manifest and of the
/// manifest and state it resumes, and PLOT.tmp of its loss plot; and the image temporaries of <see cref="Imaging.ImageWriter"/>,
/// ".NAME.&lt;32 hex digits&gt;.tmp" beside NAME, for the output and for every name the checkpoint pattern can give
/// (its %s matching a decimal iteration). Directories and other names are never touched.
/// </remarks>
internal static class StaleTemporaryFiles
{
    /// <summary>Deletes them; returns the files removed.</summary>
    /// <exception cref="IOException">One of them could not be removed (named in the message).</exception>
    public static IReadOnlyList<string> Remove(StyleJobSpec spec, JobContext context)
    {
        var removed = new List<string>();
        foreach (string path in Find(spec, context))
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"cannot remove {path}, a temporary file a previous run left: {e.Message}", e);
            }

            removed.Add(path);
        }

        return removed;
    }

    /// <summary>The stale temporary files of the run, without removing them.</summary>
    public static IReadOnlyList<string> Find(StyleJobSpec spec, JobContext context)
    {
        string manifest = JobOutputs.ManifestFor(spec);
        var exact = new List<string> { manifest, ManifestRecorder.StatePathFor(manifest) };
        exact.AddRange(new[] { context.ResumedManifest, context.ResumeState, spec.Plot }.OfType<string>());
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string file in exact.Select(f => AtomicFile.TemporaryPathFor(Path.GetFullPath(f))))
        {
            if (File.Exists(file))
            {
                found.Add(file);
            }
        }

        var names = new List<string> { Regex.Escape(Path.GetFileName(spec.Output)) };
        var directories = new List<string> { DirectoryOf(spec.Output) };
        // A pattern whose directory part holds %s names files in many directories; only its file part is matched.
        if (spec.CheckpointOutput is string pattern && !(Path.GetDirectoryName(pattern) ?? string.Empty).Contains("%s", StringComparison.Ordinal))
        {
            names.Add(string.Join("[0-9]+", Path.GetFileName(pattern).Split("%s").Select(Regex.Escape)));
            directories.Add(DirectoryOf(pattern));
        }

        for (int k = 0; k < names.Count; k++)
        {
            if (!Directory.Exists(directories[k]))
            {
                continue;
            }

            // ImageWriter's name: a dot, the target's name, a dot, Guid.ToString("N"), ".tmp".
            var image = new Regex($"^\\.{names[k]}\\.[0-9a-f]{{32}}\\.tmp$", RegexOptions.CultureInvariant);
            foreach (string file in Directory.EnumerateFiles(directories[k], ".*.tmp"))
            {
                if (image.IsMatch(Path.GetFileName(file)))
                {
                    found.Add(file);
                }
            }
        }

        return [.. found];
    }

    private static string DirectoryOf(string file) => Path.GetDirectoryName(Path.GetFullPath(file))!;
}
