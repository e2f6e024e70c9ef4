namespace NeuralStyle.Weights.Cache;

/// <summary>How <see cref="WeightsCache.FetchAsync"/> downloads.</summary>
public sealed record DownloadOptions
{
    /// <summary>Mirrors tried before the catalog's URLs (<c>--mirror</c>).</summary>
    public IReadOnlyList<string> ExtraMirrors { get; init; } = [];

    /// <summary>Download even when a verified copy is present.</summary>
    public bool Force { get; init; }

    /// <summary>How long a TCP (and TLS) connection may take to open.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the server may send nothing (headers or body) before the connection is given up.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Resumptions of one URL after a cut connection, within one invocation.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>The wait before the first resumption; it doubles for each next one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The shortest interval between two <see cref="DownloadProgress"/> events.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Test seam: wraps the partial file's stream, e.g. to fail like a full disk.</summary>
    internal Func<Stream, Stream>? WrapPartial { get; init; }
}
