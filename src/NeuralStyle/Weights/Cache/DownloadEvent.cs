namespace NeuralStyle.Weights.Cache;

/// <summary>What a download reports as it goes (on the downloading thread, in order); a front end renders it.</summary>
/// <param name="Url">The URL being downloaded.</param>
public abstract record DownloadEvent(string Url);

/// <summary>A request is about to be sent; <paramref name="Offset"/> &gt; 0 when it resumes a partial file.</summary>
public sealed record DownloadStarted(string Url, long Offset, string PartialPath) : DownloadEvent(Url);

/// <summary>Bytes arrived.</summary>
/// <param name="Url">The URL.</param>
/// <param name="Received">Bytes in the partial file so far (resumed bytes included).</param>
/// <param name="Total">The file's size, when the server or the catalog says it.</param>
/// <param name="BytesPerSecond">The rate of this connection since it started.</param>
/// <param name="Remaining">The estimated time left, when the size and a rate are known.</param>
public sealed record DownloadProgress(string Url, long Received, long? Total, double BytesPerSecond, TimeSpan? Remaining) : DownloadEvent(Url);

/// <summary>The connection failed after some progress (or was cut); the download resumes from <paramref name="Offset"/> after <paramref name="Delay"/>.</summary>
public sealed record DownloadRetrying(string Url, long Offset, string Reason, int Attempt, int MaxAttempts, TimeSpan Delay) : DownloadEvent(Url);

/// <summary>The server did not honour the range asked for; the download starts again from byte 0.</summary>
public sealed record DownloadRestarted(string Url, string Reason) : DownloadEvent(Url);

/// <summary>This URL failed for good; the next mirror, if any, is tried.</summary>
public sealed record DownloadUrlFailed(string Url, string Reason) : DownloadEvent(Url);

/// <summary>The file was downloaded, verified and moved to <paramref name="Path"/>.</summary>
public sealed record DownloadCompleted(string Url, string Path, FileDigest Digest) : DownloadEvent(Url);
