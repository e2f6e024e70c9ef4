using System.Globalization;

namespace NeuralStyle.Weights.Cache;

/// <summary>
/// How a copy of a weight file is checked, the strongest check published first: the full SHA-256; else the MD5 with
/// the size; else the SHA-256 prefix in the file name (torch.hub's <c>check_hash</c>, e.g. <c>vgg19-d01eb7cb.pth</c>).
/// </summary>
/// <param name="Sha256">The full SHA-256, lowercase hex, when published.</param>
/// <param name="Md5">The MD5, lowercase hex, when that is what is published.</param>
/// <param name="Sha256Prefix">The start of the SHA-256, from the file name, when nothing better is known.</param>
public sealed record WeightsVerification(string? Sha256 = null, string? Md5 = null, string? Sha256Prefix = null)
{
    /// <summary>True when the check needs the file's MD5 (no full SHA-256 is known).</summary>
    public bool NeedsMd5 => Sha256 is null && Md5 is not null;

    /// <summary>The hash a user can compare by eye, with its kind: "SHA-256 abc...", "MD5 abc...", "SHA-256 prefix abc...".</summary>
    public string Describe() =>
        Sha256 is not null ? $"SHA-256 {Sha256}"
        : Md5 is not null ? $"MD5 {Md5}"
        : Sha256Prefix is not null ? $"SHA-256 prefix {Sha256Prefix} (from the file name)"
        : "none";

    /// <summary>
    /// Why <paramref name="digest"/> is not the file described (null when it is): "SHA-256 mismatch: expected X, got Y",
    /// "MD5 mismatch: ...", or a size mismatch when the size is checked with the MD5.
    /// </summary>
    /// <param name="digest">The copy's size and hashes (MD5 present when <see cref="NeedsMd5"/>).</param>
    /// <param name="size">The published size, when known.</param>
    public string? Mismatch(FileDigest digest, long? size)
    {
        ArgumentNullException.ThrowIfNull(digest);
        if (Sha256 is not null)
        {
            return string.Equals(Sha256, digest.Sha256, StringComparison.OrdinalIgnoreCase)
                ? null
                : $"SHA-256 mismatch: expected {Sha256}, got {digest.Sha256}";
        }

        if (Md5 is not null)
        {
            if (size is long expected && expected != digest.Size)
            {
                return string.Create(CultureInfo.InvariantCulture, $"size mismatch: expected {expected:N0} bytes, got {digest.Size:N0}");
            }

            return digest.Md5 is null ? throw new ArgumentException("the MD5 was not computed", nameof(digest))
                : string.Equals(Md5, digest.Md5, StringComparison.OrdinalIgnoreCase) ? null
                : $"MD5 mismatch: expected {Md5}, got {digest.Md5}";
        }

        if (Sha256Prefix is not null)
        {
            return digest.Sha256.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase)
                ? null
                : $"SHA-256 mismatch: expected {Sha256Prefix}..., got {digest.Sha256}";
        }

        return null;
    }
}
