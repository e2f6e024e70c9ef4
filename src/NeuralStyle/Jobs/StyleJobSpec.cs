using NeuralStyle.Imaging;
using NeuralStyle.Transfer;

namespace NeuralStyle.Jobs;

/// <summary>
/// Everything a style-transfer run needs, as data: input files and sizes, the backbone, every option of the engine,
/// the random seed (in <see cref="Settings"/>), the schedule and the output files. Serialisable with System.Text.Json;
/// <see cref="StyleJob.Run"/> runs it.
/// </summary>
public sealed record StyleJobSpec
{
    /// <summary>The content image.</summary>
    public required string Content { get; init; }

    /// <summary>The style images.</summary>
    public required IReadOnlyList<string> Styles { get; init; }

    /// <summary>The final image (PNG, JPEG or WebP by extension).</summary>
    public required string Output { get; init; }

    /// <summary>Checkpoint file name with <c>%s</c> for the seed's 0-based iteration, or null.</summary>
    public string? CheckpointOutput { get; init; }

    /// <summary>
    /// A loss plot (PNG) of the run, or null. The job names and checks it with its other outputs before the long work
    /// (a clash, an existing file, a missing directory) and the manifest records it, so a resume writes it again; the
    /// picture itself is drawn by the front end from the job's events (<see cref="LossHistory"/>, NeuralStyle.Plotting),
    /// so that the library needs no plotting package.
    /// </summary>
    public string? Plot { get; init; }

    /// <summary>Width the content is resized to (keeping its aspect), or null for its own.</summary>
    public int? Width { get; init; }

    /// <summary>Per style image: its size relative to the content's width (null: 1 each).</summary>
    public IReadOnlyList<double>? StyleScales { get; init; }

    /// <summary>A network file or zoo model name, or null to resolve the default (see <see cref="Backbones.BackboneSelection"/>).</summary>
    public string? Network { get; init; }

    /// <summary>A zoo model's PyTorch state dict, or null.</summary>
    public string? NetworkWeights { get; init; }

    /// <summary>The loss weights and step size the user chose; the rest come from the backbone.</summary>
    public LossWeightChoice Weights { get; init; } = new(null, null, null, null);

    /// <summary>
    /// The parameterisation, colour decorrelation, transforms and chroma TV weight the user chose; the rest come from
    /// the backbone. These replace the same four values of <see cref="Settings"/>. A run's manifest records them resolved.
    /// </summary>
    public PictureChoice Picture { get; init; } = PictureChoice.Backbone;

    /// <summary>The initial image, or null for noise.</summary>
    public string? Initial { get; init; }

    /// <summary>Keep the content's colours (luminance of the result, chroma of the content).</summary>
    public bool PreserveColors { get; init; }

    /// <summary>Pooling of a MatConvNet VGG backbone.</summary>
    public PoolingMode Pooling { get; init; } = PoolingMode.Max;

    /// <summary>Replace existing output files.</summary>
    public bool Overwrite { get; init; }

    /// <summary>A memory limit in MiB for the estimate; null = what the system has available.</summary>
    public int? MaxMemoryMiB { get; init; }

    /// <summary>Input images with more pixels than this are refused before decoding (a decompression-bomb guard; see <see cref="ImageLimits.DefaultMaxPixels"/>).</summary>
    public long MaxPixels { get; init; } = ImageLimits.DefaultMaxPixels;

    /// <summary>Coarse-to-fine scales (1 = the seed's single scale).</summary>
    public int Scales { get; init; } = 1;

    /// <summary>Long side of the coarsest scale in pixels, or null for <see cref="StyleRecipe.MinSizeFor"/> of the output size.</summary>
    public int? MinSize { get; init; }

    /// <summary>Iterations of every coarser scale.</summary>
    public int CoarseIterations { get; init; } = StyleRecipe.DefaultCoarseIterations;

    /// <summary>Match the styles' colour statistics to the content before the transfer (Gatys et al. 2016), or null.</summary>
    public ColorTransferMethod? ColorTransfer { get; init; }

    /// <summary>Transfer luminance only and recombine with the content's chroma (Gatys et al. 2016).</summary>
    public bool LuminanceOnly { get; init; }

    /// <summary>The engine's settings (loss weights not chosen in <see cref="Weights"/> are replaced by the backbone's, and the picture settings by <see cref="Picture"/>'s resolution).</summary>
    public required StyleTransferSettings Settings { get; init; }

    /// <summary>
    /// This specification with its picture settings resolved against the <paramref name="backbone"/>'s defaults
    /// (<see cref="BackboneDefaults.EffectivePicture"/>): <see cref="Picture"/> with every value set and
    /// <see cref="Settings"/> carrying them. What a run records and runs with.
    /// </summary>
    public StyleJobSpec WithPictureResolved(PictureDefaults backbone)
    {
        PictureChoice picture = PictureChoice.Of((Picture ?? PictureChoice.Backbone).Resolve(backbone));
        return this with { Picture = picture, Settings = picture.ApplyTo(Settings, backbone) };
    }

    /// <summary>The specification as the manifest records it (camel-case JSON, enums by name): what a viewer shows as the options in force.</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, ManifestRecorder.Json);

    /// <summary>
    /// Refuses a specification that cannot run as given, before any file is read: values out of range (see
    /// <see cref="SettingLimits"/>), lists whose length does not match the styles, and a checkpoint name that
    /// would never be used or would name every checkpoint alike.
    /// </summary>
    /// <exception cref="JobSpecException">The first problem found, in one line.</exception>
    public void Validate()
    {
        if (Problems().FirstOrDefault(reason => reason is not null) is string problem)
        {
            throw new JobSpecException(problem);
        }

        try
        {
            Settings.Validate();
        }
        catch (ArgumentException e)
        {
            throw new JobSpecException(e.Message, e);
        }
    }

    private IEnumerable<string?> Problems()
    {
        if (Styles.Count == 0)
        {
            yield return "at least one style image is needed";
        }

        if (StyleScales is not null && StyleScales.Count != Styles.Count)
        {
            yield return $"{StyleScales.Count} style scales for {Styles.Count} style images";
        }

        foreach (double scale in StyleScales ?? [])
        {
            yield return SettingLimits.Positive("style scale", scale);
        }

        if (Settings.StyleBlendWeights is { } blends && blends.Count != Styles.Count)
        {
            yield return $"{blends.Count} style blend weights for {Styles.Count} style images";
        }

        if (CheckpointOutput is not null && !CheckpointOutput.Contains("%s", StringComparison.Ordinal))
        {
            yield return $"the checkpoint output {CheckpointOutput} must contain %s (replaced by the iteration)";
        }

        if (CheckpointOutput is not null && Settings.CheckpointIterations is null)
        {
            yield return "a checkpoint output needs checkpoint iterations (how often to write one); without them none would be written";
        }

        foreach ((string name, int? value) in new[] { ("width", Width), ("memory limit", MaxMemoryMiB), ("scales", (int?)Scales), ("minimum size", MinSize), ("coarse iterations", (int?)CoarseIterations) })
        {
            yield return value is <= 0 ? $"{name} must be positive (got {value})" : null;
        }

        yield return Weights.Problem();
        yield return Picture.Problem();
    }
}
