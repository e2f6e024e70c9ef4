using System.Security.Cryptography;

namespace NeuralStyle.Weights.Cache;

/// <summary>A file's size and hashes (lowercase hex).</summary>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">The SHA-256.</param>
/// <param name="Md5">The MD5, when it was asked for.</param>
public sealed record FileDigest(long Size, string Sha256, string? Md5 = null)
{
    /// <summary>Reads <paramref name="path"/> once and hashes it (with the MD5 too when <paramref name="md5"/>).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled.</exception>
    public static FileDigest Compute(string path, bool md5 = false, CancellationToken cancellation = default)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        using var hashes = new DigestBuilder(md5);
        byte[] buffer = new byte[1 << 20];
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            cancellation.ThrowIfCancellationRequested();
            hashes.Append(buffer.AsSpan(0, read));
        }

        return hashes.Finish();
    }
}
