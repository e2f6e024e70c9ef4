using NeuralStyle.Jobs;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.Cache;
using NeuralStyle.Zoo;

namespace NeuralStyle.Backbones;

/// <summary>Which weight file a run uses and why, so that a front end can say so.</summary>
/// <param name="Path">The network file, or for a zoo model its weights file (its name when there are none).</param>
/// <param name="Source">How it was chosen, in words ("--network", "bundled with neural-style; ...").</param>
/// <param name="Origin">How it was chosen.</param>
/// <param name="ZooModel">The zoo model's name when the network named one.</param>
public sealed record BackboneSelection(string Path, string Source, BackboneOrigin Origin, string? ZooModel = null)
{
    /// <summary>The seed's network file, used when it is in the working directory.</summary>
    public const string DefaultNetwork = "imagenet-vgg-verydeep-19.mat";

    /// <summary>
    /// An explicit --network must exist (the seed's message otherwise), or be a known weight file's name (see
    /// <see cref="KnownWeights"/>; without --weights: the verified copy in the weights cache, else in torch.hub's), or a
    /// zoo model's name, which needs --weights unless <paramref name="requireWeights"/> is false (listing layers: there a
    /// name that is both, such as vgg19, stays the zoo model, whose layer names need no weights). Without one: the
    /// seed's default file in the working directory when it is there, else the ResNet-18 bundled with the program, so a
    /// first run needs no download.
    /// </summary>
    /// <param name="network">--network: a file, a known weight file's name or a zoo model's name; null for the default.</param>
    /// <param name="weights">--weights: a zoo model's state dict.</param>
    /// <param name="requireWeights">False when a zoo model may have random weights (listing layers).</param>
    /// <param name="environment">Where the weights caches are (default: the process's environment).</param>
    /// <exception cref="JobSpecException">The network or weights named do not exist, a known file is not in a cache (the message gives the command that fetches it), or a zoo model lacks its weights.</exception>
    /// <exception cref="WeightsCatalogException">The cache's catalog.json is not valid.</exception>
    public static BackboneSelection Resolve(string? network, string? weights = null, bool requireWeights = true, WeightsEnvironment? environment = null)
    {
        if (network is not null && !File.Exists(network) && IsBareName(network))
        {
            if (weights is null && (requireWeights || !ModelZoo.Contains(network)))
            {
                var cache = WeightsCache.Open(environment);
                if (cache.Catalog.Find(network) is { } entry)
                {
                    return Cached(cache, entry);
                }
            }

            return Zoo(network, weights, requireWeights);
        }

        if (weights is not null)
        {
            throw new JobSpecException("--weights goes with --network NAME, a zoo model (see `neural-style models list`)");
        }

        if (network is not null)
        {
            return File.Exists(network)
                ? new BackboneSelection(network, "--network", BackboneOrigin.NetworkOption)
                : throw new JobSpecException($"Network {network} does not exist. (Did you forget to download it?)");
        }

        if (File.Exists(DefaultNetwork))
        {
            return new BackboneSelection(DefaultNetwork, "default file in the working directory", BackboneOrigin.DefaultFile);
        }

        if (BundledResNet18.IsAvailable)
        {
            return new BackboneSelection(BundledResNet18.DefaultPath, $"bundled with neural-style; for VGG-19, put {DefaultNetwork} in the working directory, pass --network FILE, or fetch one with `neural-style weights fetch vgg19` and pass --network vgg19", BackboneOrigin.Bundled);
        }

        throw new JobSpecException($"Network {DefaultNetwork} does not exist. (Did you forget to download it?)");
    }

    /// <summary>Opens the backbone with just the layers <paramref name="settings"/> will read.</summary>
    public IFeatureNetwork Open(PoolingMode pooling, StyleTransferSettings settings)
    {
        if (ZooModel is null)
        {
            return NetworkFiles.Open(Path, pooling, settings);
        }

        if (pooling != PoolingMode.Max)
        {
            throw new JobSpecException("--pooling avg applies to MatConvNet VGG files; a zoo model keeps its own pooling");
        }

        return ZooFeatureNetwork.Load(ZooModel, Origin == BackboneOrigin.ZooRandomWeights ? null : Path);
    }

    // "vgg16" names a model; "nets/vgg16.mat" or "vgg16.onnx" name files (and keep the seed's message when missing).
    private static bool IsBareName(string network) =>
        !network.Contains(System.IO.Path.DirectorySeparatorChar) && !network.Contains('/') && !System.IO.Path.HasExtension(network);

    // The verified copy of a known file, or the command that fetches it.
    private static BackboneSelection Cached(WeightsCache cache, WeightsEntry entry)
    {
        WeightsLookup lookup = cache.Find(entry);
        if (lookup.Found is { } found)
        {
            return new BackboneSelection(found.Path, $"--network {entry.Name}, verified in {found.PlaceText}", BackboneOrigin.WeightsCache);
        }

        string rejected = lookup.Rejected.Count == 0 ? string.Empty : $" (a copy fails its check and is not used: {string.Join("; ", lookup.Rejected)})";
        throw new JobSpecException($"--network {entry.Name}: {entry.FileName} is not in the weights cache ({cache.Locations.CacheDirectory}) nor in torch.hub's cache{rejected}; fetch it with: neural-style weights fetch {entry.Name} (or add --download)");
    }

    private static BackboneSelection Zoo(string name, string? weights, bool requireWeights)
    {
        if (!ModelZoo.Contains(name))
        {
            throw new JobSpecException($"Network {name} is neither a file nor a zoo model; the zoo models are: {string.Join(", ", ModelZoo.Names)}; the known weight files (`neural-style weights list`): {string.Join(", ", KnownWeights.BuiltIn.Select(k => k.Name))}");
        }

        string canonical = ModelZoo.Describe(name).Name;
        if (weights is null)
        {
            return requireWeights
                ? throw new JobSpecException($"--network {canonical} is a zoo model: give its weights, a PyTorch state dict saved with torch.save, with --weights FILE")
                : new BackboneSelection(canonical, "zoo model with random weights", BackboneOrigin.ZooRandomWeights, canonical);
        }

        return File.Exists(weights)
            ? new BackboneSelection(weights, $"--network {canonical} --weights", BackboneOrigin.ZooWeights, canonical)
            : throw new JobSpecException($"Weights {weights} do not exist.");
    }
}
