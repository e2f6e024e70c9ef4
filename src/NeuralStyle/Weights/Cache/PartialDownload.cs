namespace NeuralStyle.Weights.Cache;

/// <summary>
/// The partial file of one download (<c>&lt;cache&gt;/partial/FILE.partial</c>, never the final name) and the running
/// hash of its bytes: bytes already there from an earlier interrupted invocation are hashed once when it is opened,
/// new bytes as they are written, so the completed file is never read again.
/// </summary>
internal sealed class PartialDownload : IDisposable
{
    private readonly FileStream _file;
    private readonly Stream _target;
    private readonly DigestBuilder _digest;
    private bool _closed;

    private PartialDownload(string path, FileStream file, Stream target, DigestBuilder digest)
    {
        Path = path;
        _file = file;
        _target = target;
        _digest = digest;
    }

    public string Path { get; }

    /// <summary>Bytes in the file (and hashed).</summary>
    public long Length => _digest.Length;

    /// <summary>Opens (or creates) the partial file locked for this process and hashes what it already holds.</summary>
    /// <param name="path">The partial file.</param>
    /// <param name="md5">Hash with MD5 too.</param>
    /// <param name="wrap">Test seam around the file's stream.</param>
    /// <param name="size">The file's published size: a longer partial file cannot be this file's start and is emptied.</param>
    /// <param name="cancellation">Stops the hashing of a long partial file.</param>
    /// <exception cref="WeightsDownloadException">The file cannot be opened (another download holds it, permissions).</exception>
    public static PartialDownload Open(string path, bool md5, Func<Stream, Stream>? wrap, long? size, CancellationToken cancellation)
    {
        FileStream file;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            // FileShare.None locks the file: a second fetch of the same file waits for nothing and says so.
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeightsDownloadException($"cannot open the partial download {path}: {MessageText.OneLine(e.Message)} (is another fetch of it running?)", e);
        }

        var digest = new DigestBuilder(md5);
        try
        {
            if (size is long expected && file.Length > expected)
            {
                file.SetLength(0);
            }

            byte[] buffer = new byte[1 << 20];
            int read;
            while ((read = file.Read(buffer)) > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                digest.Append(buffer.AsSpan(0, read));
            }
        }
        catch
        {
            digest.Dispose();
            file.Dispose();
            throw;
        }

        return new PartialDownload(path, file, wrap?.Invoke(file) ?? file, digest);
    }

    /// <summary>Writes and hashes <paramref name="data"/>.</summary>
    /// <exception cref="PartialWriteException">The write failed (a full disk).</exception>
    public void Append(ReadOnlySpan<byte> data)
    {
        try
        {
            _target.Write(data);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PartialWriteException(Path, e);
        }

        _digest.Append(data);
    }

    /// <summary>Empties the file and the hash: the download starts again from byte 0.</summary>
    public void Restart()
    {
        try
        {
            _target.Flush();
            _file.SetLength(0);
            _file.Position = 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PartialWriteException(Path, e);
        }

        _digest.Reset();
    }

    /// <summary>Flushes the file to the disk, closes it and returns its digest.</summary>
    /// <exception cref="PartialWriteException">The flush failed (a full disk).</exception>
    public FileDigest Complete()
    {
        try
        {
            _target.Flush();
            // On the disk before the rename into the cache: after a crash the final name must hold the whole file.
            _file.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PartialWriteException(Path, e);
        }

        Close();
        return _digest.Finish();
    }

    /// <summary>Closes and removes the file.</summary>
    public void Delete()
    {
        Close();
        try
        {
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next fetch checks what it finds anyway.
        }
    }

    /// <summary>Closes the file, keeping it for a resume.</summary>
    public void Dispose()
    {
        Close();
        _digest.Dispose();
    }

    private void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        try
        {
            _target.Dispose();
            _file.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Closing after a failed write fails again on the buffered bytes; the first failure is the one reported.
        }
    }
}
