using NeuralStyle.Backbones;
using NeuralStyle.Jobs;
using NeuralStyle.Weights.Cache;

namespace NeuralStyle.Cli;

/// <summary>The style command's <c>--download</c>: fetches the known weight file <c>--network NAME</c> names, before the run starts.</summary>
internal static class WeightsDownloadStep
{
    /// <summary>Fetches the file when it is in no cache; does nothing when it is, or when --network names no known file.</summary>
    /// <exception cref="UsageException">--download without a --network NAME of a known file.</exception>
    /// <exception cref="WeightsDownloadException">The download failed.</exception>
    public static void Run(StyleJobSpec spec, WeightsEnvironment? environment, TextWriter error, bool interactive)
    {
        string? network = spec.Network;
        WeightsCache cache = WeightsCache.Open(environment);
        WeightsEntry? entry = network is null || File.Exists(network) || spec.NetworkWeights is not null ? null : cache.Catalog.Find(network);
        if (entry is null)
        {
            throw new UsageException($"--download goes with --network NAME of a known weight file ({string.Join(", ", cache.Catalog.Entries.Select(e => e.Name))}; see `neural-style weights list`)");
        }

        if (cache.Find(entry).Found is not null)
        {
            return;
        }

        error.WriteLine($"--network {entry.Name}: {entry.FileName} is in no cache; fetching it into {cache.Locations.CacheDirectory}");
        FetchResult fetched = WeightsFetching.Run(cache, (report, token) => cache.FetchAsync(entry, observer: report, cancellation: token), error, interactive);
        error.WriteLine($"{entry.Name}: {fetched.Weights.Path}");
    }
}
