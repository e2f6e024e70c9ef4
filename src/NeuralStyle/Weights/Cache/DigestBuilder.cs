using System.Security.Cryptography;

namespace NeuralStyle.Weights.Cache;

/// <summary>Hashes bytes as they stream past (a download as it is written), so no second read of the file is needed.</summary>
internal sealed class DigestBuilder(bool md5) : IDisposable
{
    private IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private IncrementalHash? _md5 = md5 ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;

    /// <summary>Bytes hashed so far.</summary>
    public long Length { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        _sha256.AppendData(data);
        _md5?.AppendData(data);
        Length += data.Length;
    }

    /// <summary>Forgets every byte (a download that starts again from 0).</summary>
    public void Reset()
    {
        _sha256.Dispose();
        _md5?.Dispose();
        _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _md5 = _md5 is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        Length = 0;
    }

    public FileDigest Finish() =>
        new(Length, Convert.ToHexStringLower(_sha256.GetHashAndReset()), _md5 is null ? null : Convert.ToHexStringLower(_md5.GetHashAndReset()));

    public void Dispose()
    {
        _sha256.Dispose();
        _md5?.Dispose();
    }
}
