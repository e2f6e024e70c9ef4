using System.Globalization;
using NeuralStyle.Imaging;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Parameterizations;

namespace NeuralStyle.Jobs;

/// <summary>The files a job will write, named and checked before any long work starts.</summary>
internal static class JobOutputs
{
    // PNG's worst case is the raw pixels plus a little framing per row and chunk; JPEG and WebP are smaller.
    private const long ImageOverheadBytes = 64 * 1024;

    // A loss plot is a picture of 1400x560 lines on white: about 100 KiB, and never near 1 MiB.
    private const long PlotBytes = 1024 * 1024;

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

    /// <summary>
    /// Everything about the files that can be checked without the images: no two outputs share a name and none is
    /// an input; existing files are refused without <see cref="StyleJobSpec.Overwrite"/>; extensions are known (the
    /// loss plot's is .png); every directory exists and accepts a new file.
    /// </summary>
    /// <exception cref="JobSpecException">A name clash, an existing file or an unknown extension.</exception>
    /// <exception cref="IOException">A directory is missing or does not accept new files.</exception>
    public static void Check(StyleJobSpec spec)
    {
        IReadOnlyList<string> planned = PlannedImages(spec);
        string manifest = ManifestFor(spec);
        string state = ManifestRecorder.StatePathFor(manifest);
        string[] written = [.. planned, manifest, state, .. spec.Plot is null ? Array.Empty<string>() : [spec.Plot]];
        CheckNoClash(spec, written);
        if (!spec.Overwrite && written.FirstOrDefault(File.Exists) is string existing)
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

        if (spec.Plot is not null)
        {
            CheckPlot(spec.Plot);
        }

        foreach (string directory in written.Select(DirectoryOf).Distinct(StringComparer.Ordinal))
        {
            ProbeWritable(directory);
        }
    }

    /// <summary>
    /// Refuses a run whose files cannot fit on their file systems: every planned image at its largest (uncompressed),
    /// and the state file twice (the new one is written beside the old before the rename).
    /// </summary>
    /// <exception cref="IOException">Not enough free space, with the sizes.</exception>
    public static void CheckSpace(StyleJobSpec spec, StyleTransferSettings settings, int width, int height)
    {
        long imageBytes = (3L * width * height) + ImageOverheadBytes;
        int stateImages = 2 + settings.OptimizerImageCopies + (settings.AverageDecay is null ? 0 : 1);
        if (spec.Picture?.Parameterization is not ImageParameterization.Pixel)
        {
            // Not pixels (or not yet resolved): the state also holds the parameters, and the optimiser's
            // tensors have their shape, at most 4/3 of the image's (a pyramid's levels; Fourier coefficients are about 1).
            stateImages += 1 + ((settings.OptimizerImageCopies + 2) / 3);
        }

        long stateBytes = (stateImages * 3L * width * height * sizeof(float)) + ImageOverheadBytes;
        string manifest = ManifestFor(spec);
        var needs = new Dictionary<string, long>(StringComparer.Ordinal);
        IEnumerable<(string, long)> plot = spec.Plot is null ? [] : [(spec.Plot, PlotBytes)];
        foreach ((string file, long bytes) in PlannedImages(spec).Select(f => (f, imageBytes)).Append((ManifestRecorder.StatePathFor(manifest), 2 * stateBytes)).Append((manifest, ImageOverheadBytes)).Concat(plot))
        {
            string root = MountPointOf(DirectoryOf(file));
            needs[root] = needs.GetValueOrDefault(root) + bytes;
        }

        foreach ((string root, long bytes) in needs)
        {
            long free = new DriveInfo(root).AvailableFreeSpace;
            if (free < bytes)
            {
                throw new IOException($"not enough disk space for the output files on {root}: the run needs up to {Mebibytes(bytes)} (the images and the state to resume from) but {Mebibytes(free)} are free");
            }
        }
    }

    /// <summary>Where a picture of the final scale goes: the output, a checkpoint name, or nowhere.</summary>
    public static string? FileFor(StyleJobSpec spec, int? checkpointIteration) =>
        checkpointIteration is int i ? CheckpointName(spec, i) : spec.Output;

    // Two outputs with one name would overwrite each other; an output named like an input would destroy it, which
    // even --overwrite does not ask for.
    private static void CheckNoClash(StyleJobSpec spec, string[] written)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in written)
        {
            if (!seen.TryAdd(Path.GetFullPath(file), file))
            {
                throw new JobSpecException($"{file} would be written twice (by --output, --checkpoint-output, --plot, the manifest or the state file): choose names that differ");
            }
        }

        string?[] inputs = [spec.Content, .. spec.Styles, spec.Initial, spec.Network, spec.NetworkWeights];
        foreach (string input in inputs.OfType<string>())
        {
            if (seen.TryGetValue(Path.GetFullPath(input), out string? clash))
            {
                throw new JobSpecException($"{clash} is an input of this run ({input}); writing there would destroy it: choose another --output, --checkpoint-output or --plot");
            }
        }
    }

    // The plot is drawn only when the run ends: a wrong name must be found now, in the words of the image outputs'.
    private static void CheckPlot(string plot)
    {
        if (!string.Equals(Path.GetExtension(plot), ".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new JobSpecException($"--plot {plot}: a loss plot is written as PNG; give a name ending in .png");
        }

        if (Directory.Exists(plot))
        {
            throw new JobSpecException($"--plot {plot}: it is a directory");
        }

        string directory = DirectoryOf(plot);
        if (!Directory.Exists(directory))
        {
            // As for the images, no directory is created: a typo should not make a tree somewhere unexpected.
            throw new DirectoryNotFoundException($"cannot write the loss plot {plot}: directory {directory} does not exist");
        }
    }

    // A directory can exist and still refuse files (read-only mount, permissions): find out now, not at the end.
    private static void ProbeWritable(string directory)
    {
        string probe = Path.Combine(directory, $".neural-style-probe-{Guid.NewGuid():N}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write to {directory}: {e.Message}", e);
        }
    }

    // The file system a directory is on: the longest mount point that contains it, so that files in different
    // directories of one disk are added up together; the directory itself where the mounts cannot be listed.
    private static string MountPointOf(string directory)
    {
        try
        {
            string path = directory.TrimEnd('/') + "/";
            return DriveInfo.GetDrives()
                .Select(d => d.RootDirectory.FullName)
                .Where(m => path.StartsWith(m.TrimEnd('/') + "/", StringComparison.Ordinal))
                .MaxBy(m => m.Length) ?? directory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return directory;
        }
    }

    private static string DirectoryOf(string file) => Path.GetDirectoryName(Path.GetFullPath(file))!;

    private static string Mebibytes(long bytes) => $"{Math.Ceiling(bytes / 1048576.0).ToString(CultureInfo.InvariantCulture)} MiB";

    // The seed's `checkpoint_output % iteration`, with the 0-based iteration.
    private static string? CheckpointName(StyleJobSpec spec, int iteration) =>
        spec.CheckpointOutput?.Replace("%s", iteration.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
