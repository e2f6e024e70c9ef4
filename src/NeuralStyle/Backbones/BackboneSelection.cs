using NeuralStyle.Jobs;
using NeuralStyle.Transfer;
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
    /// An explicit --network must exist (the seed's message otherwise) or be a zoo model's name, which needs --weights
    /// unless <paramref name="requireWeights"/> is false (listing layers). Without one: the seed's default file in the
    /// working directory when it is there, else the ResNet-18 bundled with the program, so a first run needs no download.
    /// </summary>
    /// <exception cref="JobSpecException">The network or weights named do not exist, or a zoo model lacks its weights.</exception>
    public static BackboneSelection Resolve(string? network, string? weights = null, bool requireWeights = true)
    {
        if (network is not null && !File.Exists(network) && IsBareName(network))
        {
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
            return new BackboneSelection(BundledResNet18.DefaultPath, $"bundled with neural-style; put {DefaultNetwork} in the working directory or pass --network to use VGG-19", BackboneOrigin.Bundled);
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

    private static BackboneSelection Zoo(string name, string? weights, bool requireWeights)
    {
        if (!ModelZoo.Contains(name))
        {
            throw new JobSpecException($"Network {name} is neither a file nor a zoo model; the zoo models are: {string.Join(", ", ModelZoo.Names)}");
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
