using System.Globalization;
using NeuralStyle.Imaging;

namespace NeuralStyle.Jobs;

/// <summary>The files a job will write, named and checked before any long work starts.</summary>
internal static class JobOutputs
{
    /// <summary>OUTPUT.json beside OUTPUT.png.</summary>
    public static string ManifestFor(StyleJobSpec spec) => ManifestRecorder.PathFor(spec.Output);

    /// <summary>The final image and every checkpoint image the schedule will write.</summary>
    public static IReadOnlyList<string> PlannedImages(StyleJobSpec spec)
    {
        var files = new List<string> { spec.Output };
        if (spec.CheckpointOutput is not null && spec.Settings.CheckpointIterations is int every)
        {
            for (int i = 0; i < spec.Settings.Iterations - 1; i += every)
            {
                files.Add(CheckpointName(spec, i)!);
            }
        }

        return files;
    }

    /// <summary>Refuses existing files without <see cref="StyleJobSpec.Overwrite"/>, unknown extensions and missing directories.</summary>
    /// <exception cref="JobSpecException">Any of them.</exception>
    public static void Check(StyleJobSpec spec)
    {
        IReadOnlyList<string> planned = PlannedImages(spec);
        string manifest = ManifestFor(spec);
        if (!spec.Overwrite && planned.Append(manifest).Append(ManifestRecorder.StatePathFor(manifest)).FirstOrDefault(File.Exists) is string existing)
        {
            throw new JobSpecException($"{existing} already exists (use --overwrite to replace it)");
        }

        foreach (string path in planned)
        {
            try
            {
                ImageWriter.EnsureWritable(path, overwrite: true);
            }
            catch (ArgumentException e)
            {
                throw new JobSpecException(e.Message, e);
            }
        }
    }

    /// <summary>Where a picture of the final scale goes: the output, a checkpoint name, or nowhere.</summary>
    public static string? FileFor(StyleJobSpec spec, int? checkpointIteration) =>
        checkpointIteration is int i ? CheckpointName(spec, i) : spec.Output;

    // The seed's `checkpoint_output % iteration`, with the 0-based iteration.
    private static string? CheckpointName(StyleJobSpec spec, int iteration) =>
        spec.CheckpointOutput?.Replace("%s", iteration.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
