namespace NeuralStyle.Weights.Cache;

/// <summary>Where a copy of a known weight file was found.</summary>
public enum WeightsPlace
{
    /// <summary>Our cache (<see cref="WeightsLocations.CacheDirectory"/>).</summary>
    Cache,

    /// <summary>torch.hub's checkpoint directory (<see cref="WeightsLocations.TorchHubCheckpoints"/>).</summary>
    TorchHub,
}

/// <summary>A verified copy of a known weight file.</summary>
/// <param name="Entry">What the file is.</param>
/// <param name="Path">The file.</param>
/// <param name="Place">Which cache holds it.</param>
/// <param name="Digest">Its size and hashes.</param>
public sealed record CachedWeights(WeightsEntry Entry, string Path, WeightsPlace Place, FileDigest Digest)
{
    /// <summary>The place in words: "the weights cache" or "torch.hub's cache".</summary>
    public string PlaceText => Place == WeightsPlace.Cache ? "the weights cache" : "torch.hub's cache";
}

/// <summary>The result of looking for a known file: the verified copy, if any, and the copies that failed their check.</summary>
/// <param name="Found">The copy to use, or null.</param>
/// <param name="Rejected">Copies present but failing their check: "PATH: SHA-256 mismatch: expected X, got Y".</param>
public sealed record WeightsLookup(CachedWeights? Found, IReadOnlyList<string> Rejected);

/// <summary>A copy of a known file as <c>weights list</c> shows it, without hashing: verified earlier, failed, or not checked yet.</summary>
/// <param name="Path">The file.</param>
/// <param name="Place">Which cache holds it.</param>
/// <param name="Verified">True or false when a hash is on record for the file as it is now; null when it was never hashed.</param>
public sealed record WeightsCopy(string Path, WeightsPlace Place, bool? Verified);

/// <summary>The outcome of hashing a file (<c>weights verify</c>).</summary>
/// <param name="Path">The file.</param>
/// <param name="Entry">The catalog entry it was checked against (by name, file name or hash), or null for an unknown file.</param>
/// <param name="Digest">Its size, SHA-256 and MD5.</param>
/// <param name="Mismatch">Why it is not the entry's file, or null when it is (or when there is no entry).</param>
public sealed record WeightsCheck(string Path, WeightsEntry? Entry, FileDigest Digest, string? Mismatch)
{
    /// <summary>True when the file is the entry's file.</summary>
    public bool Ok => Entry is not null && Mismatch is null;
}

/// <summary>The outcome of <see cref="WeightsCache.FetchAsync"/>.</summary>
/// <param name="Weights">The verified copy.</param>
/// <param name="Downloaded">False when a verified copy was already there and nothing was downloaded.</param>
public sealed record FetchResult(CachedWeights Weights, bool Downloaded);
