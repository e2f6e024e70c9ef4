namespace NeuralStyle.Weights.Cache;

/// <summary>
/// The verified download cache of pretrained weight files: finds a known file in our cache or torch.hub's (hashing
/// it once, then trusting the record while its size and time are unchanged), downloads a missing one through a
/// partial file with resume and mirrors, checks it, and only then gives it its final name.
/// </summary>
/// <remarks>No console output: downloads report <see cref="DownloadEvent"/>s to the caller's observer.</remarks>
public sealed class WeightsCache
{
    private readonly VerificationMemo _memo;

    /// <summary>A cache at <paramref name="locations"/> knowing <paramref name="catalog"/>.</summary>
    public WeightsCache(WeightsLocations locations, WeightsCatalog catalog)
    {
        Locations = locations ?? throw new ArgumentNullException(nameof(locations));
        Catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _memo = new VerificationMemo(locations.VerifiedFile);
    }

    /// <summary>Where the caches are.</summary>
    public WeightsLocations Locations { get; }

    /// <summary>The known files (built-in and catalog.json).</summary>
    public WeightsCatalog Catalog { get; }

    /// <summary>The cache the environment names, with its catalog.</summary>
    /// <exception cref="WeightsCatalogException">The cache's catalog.json is not valid.</exception>
    public static WeightsCache Open(WeightsEnvironment? environment = null)
    {
        WeightsLocations locations = WeightsLocations.From(environment ?? WeightsEnvironment.Process);
        return new WeightsCache(locations, WeightsCatalog.Load(locations));
    }

    /// <summary>
    /// The verified copy of <paramref name="entry"/>'s file: ours first, then torch.hub's. A copy is hashed unless a hash
    /// is on record for it as it is now; a copy that fails its check is not used (it is listed in <see cref="WeightsLookup.Rejected"/>).
    /// </summary>
    public WeightsLookup Find(WeightsEntry entry, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var rejected = new List<string>();
        foreach ((string path, WeightsPlace place) in Candidates(entry))
        {
            if (!File.Exists(path))
            {
                continue;
            }

            FileDigest digest = _memo.Recall(path, entry.Verification.NeedsMd5) ?? Hash(path, entry.Verification.NeedsMd5, cancellation);
            if (entry.Verification.Mismatch(digest, entry.Size) is { } mismatch)
            {
                rejected.Add($"{path}: {mismatch}");
                continue;
            }

            return new WeightsLookup(new CachedWeights(entry, path, place, digest), rejected);
        }

        return new WeightsLookup(null, rejected);
    }

    /// <summary>The copies of <paramref name="entry"/>'s file that exist, with what the record says of them; nothing is hashed.</summary>
    public IReadOnlyList<WeightsCopy> Copies(WeightsEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return [.. Candidates(entry).Where(c => File.Exists(c.Path)).Select(c => new WeightsCopy(
            c.Path,
            c.Place,
            _memo.Recall(c.Path, entry.Verification.NeedsMd5) is { } digest ? entry.Verification.Mismatch(digest, entry.Size) is null : null))];
    }

    /// <summary>
    /// Hashes <paramref name="path"/> (always: the record is not trusted here, only updated) and checks it against
    /// <paramref name="entry"/>, or when null against the entry with its file name, else the entry with its hash.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public WeightsCheck Verify(string path, WeightsEntry? entry = null, CancellationToken cancellation = default)
    {
        FileDigest digest = Hash(path, md5: true, cancellation);
        entry ??= Catalog.WithFileName(Path.GetFileName(path)).FirstOrDefault()
            ?? Catalog.Entries.FirstOrDefault(e => e.Verification.Sha256 == digest.Sha256 || (e.Verification.Sha256 is null && e.Verification.Md5 == digest.Md5 && e.Size == digest.Size));
        return new WeightsCheck(path, entry, digest, entry?.Verification.Mismatch(digest, entry.Size));
    }

    /// <summary>
    /// Makes sure <paramref name="entry"/>'s file is in a cache: does nothing when a verified copy is there (ours or
    /// torch.hub's) unless <see cref="DownloadOptions.Force"/>; else downloads it into our cache from
    /// <see cref="DownloadOptions.ExtraMirrors"/>, then the entry's URLs, each in turn until one gives the right file.
    /// </summary>
    /// <exception cref="WeightsDownloadException">Every URL failed (each named with its failure), or the partial file cannot be written (it is removed).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled; the partial file is kept for a resume, the final name untouched.</exception>
    public async Task<FetchResult> FetchAsync(WeightsEntry entry, DownloadOptions? options = null, Action<DownloadEvent>? observer = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        options ??= new DownloadOptions();
        Action<DownloadEvent> report = observer ?? (_ => { });
        if (!options.Force && Find(entry, cancellation).Found is { } present)
        {
            return new FetchResult(present, Downloaded: false);
        }

        List<string> urls = [.. options.ExtraMirrors.Concat(entry.Urls).Distinct(StringComparer.Ordinal)];
        if (urls.Count == 0)
        {
            throw new WeightsDownloadException($"cannot fetch {entry.Name} ({entry.FileName}): no URL is known; give one with --mirror URL");
        }

        var failures = new List<string>();
        using var downloader = new WeightsDownloader(options, report);
        foreach (string url in urls)
        {
            if (await FetchFromAsync(entry, url, downloader, options, report, failures, cancellation).ConfigureAwait(false) is { } fetched)
            {
                return new FetchResult(fetched, Downloaded: true);
            }
        }

        throw new WeightsDownloadException($"cannot fetch {entry.Name} ({entry.FileName}): {string.Join("; ", failures)}");
    }

    /// <summary>
    /// Downloads <paramref name="url"/> (checked against <paramref name="sha256"/>) into the cache and records it in
    /// catalog.json as <paramref name="name"/>, so that <c>weights list</c>, <c>verify</c> and <c>--network NAME</c> know it.
    /// </summary>
    /// <exception cref="ArgumentException">The name, URL or hash is not valid, or the name is a built-in entry's.</exception>
    public async Task<FetchResult> FetchUrlAsync(string name, string url, string sha256, DownloadOptions? options = null, Action<DownloadEvent>? observer = null, CancellationToken cancellation = default)
    {
        WeightsEntry entry = UserEntry(name, url, sha256);
        FetchResult result = await FetchAsync(entry, options, observer, cancellation).ConfigureAwait(false);
        // The size is known now: recorded, a later download of another size stops at the headers.
        UserCatalog.Add(Locations.CatalogFile, entry with { Size = result.Weights.Digest.Size });
        return result;
    }

    /// <summary>The catalog entry <see cref="FetchUrlAsync"/> records: the file named as the URL's last segment.</summary>
    /// <exception cref="ArgumentException">The name, URL or hash is not valid, or the name is a built-in entry's.</exception>
    public static WeightsEntry UserEntry(string name, string url, string sha256)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(sha256);
        if (!UserCatalog.IsValidName(name))
        {
            throw new ArgumentException($"--name {name}: a name holds only letters, digits, '-' and '_'");
        }

        if (KnownWeights.BuiltIn.Any(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"--name {name} is a built-in entry; choose another name (or define it in catalog.json to replace it)");
        }

        if (!UserCatalog.IsHttpUrl(url))
        {
            throw new ArgumentException($"--url {url}: not an http or https URL");
        }

        if (!UserCatalog.IsHex(sha256, 64))
        {
            throw new ArgumentException($"--sha256 {sha256}: a SHA-256 is 64 hexadecimal digits");
        }

        string last = Uri.UnescapeDataString(new Uri(url).Segments[^1]);
        string fileName = UserCatalog.IsValidFileName(last) && last.Contains('.', StringComparison.Ordinal) ? last : name;
        return new WeightsEntry(name, fileName, UserCatalog.FormatOf(fileName), "unknown", null, new WeightsVerification(Sha256: sha256.ToLowerInvariant()), [url], "unknown (added with weights fetch --url)", "unknown", BuiltIn: false);
    }

    // One URL; null (and a failure recorded) when it did not give the file. A mismatch after resuming a partial file
    // left by an earlier run may be that run's bytes of another file version: the URL is tried once more from byte 0.
    private async Task<CachedWeights?> FetchFromAsync(WeightsEntry entry, string url, WeightsDownloader downloader, DownloadOptions options, Action<DownloadEvent> report, List<string> failures, CancellationToken cancellation)
    {
        string partialPath = Locations.PartialPathOf(entry);
        string final = Locations.CachePathOf(entry);
        for (bool retried = false; ; retried = true)
        {
            FileDigest digest;
            long resumedFrom;
            using (PartialDownload partial = PartialDownload.Open(partialPath, entry.Verification.NeedsMd5, options.WrapPartial, entry.Size, cancellation))
            {
                resumedFrom = partial.Length;
                try
                {
                    await downloader.DownloadAsync(url, partial, entry.Size, cancellation).ConfigureAwait(false);
                    digest = partial.Complete();
                }
                catch (UrlFailure failure)
                {
                    failures.Add($"{url}: {failure.Message}");
                    report(new DownloadUrlFailed(url, failure.Message));
                    return null;
                }
                catch (PartialWriteException e)
                {
                    partial.Delete();
                    throw new WeightsDownloadException($"{e.Message}; the partial download was removed", e);
                }

                if (entry.Verification.Mismatch(digest, entry.Size) is { } mismatch)
                {
                    partial.Delete();
                    if (resumedFrom > 0 && !retried)
                    {
                        report(new DownloadRestarted(url, $"{mismatch} after resuming an earlier partial download"));
                        continue;
                    }

                    string reason = $"{mismatch}; the download was discarded";
                    failures.Add($"{url}: {reason}");
                    report(new DownloadUrlFailed(url, reason));
                    return null;
                }
            }

            try
            {
                File.Move(partialPath, final, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new WeightsDownloadException($"cannot move the verified download {partialPath} to {final}: {MessageText.OneLine(e.Message)}", e);
            }

            _memo.Remember(final, digest);
            report(new DownloadCompleted(url, final, digest));
            return new CachedWeights(entry, final, WeightsPlace.Cache, digest);
        }
    }

    private IEnumerable<(string Path, WeightsPlace Place)> Candidates(WeightsEntry entry)
    {
        yield return (Locations.CachePathOf(entry), WeightsPlace.Cache);
        yield return (Locations.TorchHubPathOf(entry), WeightsPlace.TorchHub);
    }

    private FileDigest Hash(string path, bool md5, CancellationToken cancellation)
    {
        FileDigest digest = FileDigest.Compute(path, md5, cancellation);
        _memo.Remember(path, digest);
        return digest;
    }
}
