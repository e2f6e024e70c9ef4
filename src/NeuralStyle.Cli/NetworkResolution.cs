using NeuralStyle.Backbones;

namespace NeuralStyle.Cli;

/// <summary>Which weight file a run uses and why, so that the console can say so.</summary>
internal sealed record NetworkResolution(string Path, string Source)
{
    /// <summary>
    /// An explicit --network must exist (the seed's message otherwise). Without one: the seed's default file in the
    /// working directory when it is there, else the ResNet-18 bundled with the program, so a first run needs no download.
    /// </summary>
    public static NetworkResolution Resolve(string? network)
    {
        if (network is not null)
        {
            return File.Exists(network)
                ? new NetworkResolution(network, "--network")
                : throw new UsageException($"Network {network} does not exist. (Did you forget to download it?)");
        }

        if (File.Exists(StyleOptions.DefaultNetwork))
        {
            return new NetworkResolution(StyleOptions.DefaultNetwork, "default file in the working directory");
        }

        if (BundledResNet18.IsAvailable)
        {
            return new NetworkResolution(BundledResNet18.DefaultPath, $"bundled with neural-style; put {StyleOptions.DefaultNetwork} in the working directory or pass --network to use VGG-19");
        }

        throw new UsageException($"Network {StyleOptions.DefaultNetwork} does not exist. (Did you forget to download it?)");
    }
}
