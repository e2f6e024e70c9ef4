namespace NeuralStyle.Weights.Cache;

/// <summary>Where the weights cache and torch.hub's cache are, from the environment.</summary>
/// <param name="CacheDirectory">Our cache: downloaded files under their own names, catalog.json, verified.json, partial/.</param>
/// <param name="TorchHubCheckpoints">torch.hub's checkpoint directory, searched for known files (never written).</param>
public sealed record WeightsLocations(string CacheDirectory, string TorchHubCheckpoints)
{
    /// <summary>The variable that moves the cache anywhere.</summary>
    public const string HomeVariable = "NEURAL_STYLE_HOME";

    /// <summary>
    /// <c>$NEURAL_STYLE_HOME</c>, else <c>$XDG_CACHE_HOME/neural-style</c>, else <c>~/.cache/neural-style</c>; torch.hub's:
    /// <c>$TORCH_HOME/hub/checkpoints</c>, else <c>$XDG_CACHE_HOME/torch/hub/checkpoints</c>, else
    /// <c>~/.cache/torch/hub/checkpoints</c> (torch.hub's own rules).
    /// </summary>
    public static WeightsLocations From(WeightsEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        // The XDG specification says a relative XDG_CACHE_HOME is invalid and must be ignored.
        string? xdg = environment.Get("XDG_CACHE_HOME") is { } x && Path.IsPathFullyQualified(x) ? x : null;
        string cacheRoot = xdg ?? Path.Combine(environment.Home, ".cache");
        string cache = environment.Get(HomeVariable) is { } home ? Path.GetFullPath(home) : Path.Combine(cacheRoot, "neural-style");
        string torchHome = environment.Get("TORCH_HOME") is { } torch ? Path.GetFullPath(torch) : Path.Combine(cacheRoot, "torch");
        return new WeightsLocations(cache, Path.Combine(torchHome, "hub", "checkpoints"));
    }

    /// <summary>Downloads in progress, each under its file name plus <c>.partial</c>; never the final names.</summary>
    public string PartialDirectory => Path.Combine(CacheDirectory, "partial");

    /// <summary>The user's catalog, extending the built-in list.</summary>
    public string CatalogFile => Path.Combine(CacheDirectory, "catalog.json");

    /// <summary>The record of files already verified (path, size, modification time, hashes).</summary>
    public string VerifiedFile => Path.Combine(CacheDirectory, "verified.json");

    /// <summary>The final path of <paramref name="entry"/>'s file in our cache.</summary>
    public string CachePathOf(WeightsEntry entry) => Path.Combine(CacheDirectory, entry.FileName);

    /// <summary>Where <paramref name="entry"/>'s file would be in torch.hub's cache.</summary>
    public string TorchHubPathOf(WeightsEntry entry) => Path.Combine(TorchHubCheckpoints, entry.FileName);

    /// <summary>The partial file of a download of <paramref name="entry"/>.</summary>
    public string PartialPathOf(WeightsEntry entry) => Path.Combine(PartialDirectory, entry.FileName + ".partial");
}
