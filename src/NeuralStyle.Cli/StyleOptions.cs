using NeuralStyle.Transfer;

namespace NeuralStyle.Cli;

/// <summary>The style-transfer command's options after parsing, before validation against the file system.</summary>
internal sealed record StyleOptions
{
    public const string DefaultNetwork = "imagenet-vgg-verydeep-19.mat";

    public required string Content { get; init; }

    public required IReadOnlyList<string> Styles { get; init; }

    public required string Output { get; init; }

    public string? CheckpointOutput { get; init; }

    public int? Width { get; init; }

    public IReadOnlyList<double>? StyleScales { get; init; }

    /// <summary>The --network given, or null to resolve the default (see <see cref="NetworkResolution"/>).</summary>
    public string? Network { get; init; }

    /// <summary>The --weights given (a PyTorch state dict for a zoo --network NAME), or null.</summary>
    public string? NetworkWeights { get; init; }

    public LossWeightChoice Weights { get; init; } = new(null, null, null, null);

    public string? Initial { get; init; }

    public bool PreserveColors { get; init; }

    public PoolingMode Pooling { get; init; } = PoolingMode.Max;

    public bool Overwrite { get; init; }

    public int? Threads { get; init; }

    /// <summary>A memory limit in MiB for the estimate; null = what the system has available.</summary>
    public int? MaxMemoryMiB { get; init; }

    /// <summary>Coarse-to-fine scales (1 = the seed's single scale).</summary>
    public int Scales { get; init; } = 1;

    /// <summary>Long side of the coarsest scale in pixels, or null for <see cref="StyleRecipe.MinSizeFor"/> of the output size.</summary>
    public int? MinSize { get; init; }

    /// <summary>Iterations of every coarser scale.</summary>
    public int CoarseIterations { get; init; } = StyleRecipe.DefaultCoarseIterations;

    /// <summary>Match the styles' colour statistics to the content before the transfer (Gatys et al. 2016), or null.</summary>
    public NeuralStyle.Imaging.ColorTransferMethod? ColorTransfer { get; init; }

    /// <summary>Transfer luminance only and recombine with the content's chroma (Gatys et al. 2016).</summary>
    public bool LuminanceOnly { get; init; }

    public required StyleTransferSettings Settings { get; init; }
}
