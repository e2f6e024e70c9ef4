using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace NeuralStyle.Weights.PyTorch;

/// <summary>
/// The zip archive torch.save writes (PyTorch 1.6 and later): <c>NAME/data.pkl</c> (the pickle), one entry
/// <c>NAME/data/KEY</c> per storage with its raw little-endian bytes, and small records such as <c>NAME/version</c>
/// and <c>NAME/byteorder</c>. Every size is checked against the archive before anything is allocated.
/// </summary>
internal sealed class TorchArchive : ITorchFile
{
    // A state dict's pickle holds keys and tensor metadata only: ResNet-152's is about 60 KB.
    private const long MaxPickleBytes = 64L << 20;

    // Deflate cannot expand more than about 1032:1; a larger claim is a lie about the entry's size.
    private const long MaxDeflateRatio = 1032;

    // No buffer: every chunk is read straight into its destination (see Fill); a chunk bounds one read call.
    private const int CopyChunk = 4 << 20;

    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];

    /// <summary>Where the <paramref name="length"/> bytes at <paramref name="offset"/> of an entry go.</summary>
    private delegate Span<byte> Destination(long offset, int length);

    private readonly ZipArchive archive;
    private readonly string sourceName;
    private readonly long fileLength;
    private readonly string prefix;
    private readonly Dictionary<string, ZipArchiveEntry> entries;
    private readonly Dictionary<string, StorageReference> storages = new(StringComparer.Ordinal);

    private TorchArchive(ZipArchive archive, string sourceName, long fileLength, string prefix, Dictionary<string, ZipArchiveEntry> entries)
    {
        this.archive = archive;
        this.sourceName = sourceName;
        this.fileLength = fileLength;
        this.prefix = prefix;
        this.entries = entries;
    }

    /// <summary>Opens <paramref name="stream"/> (seekable) as a torch.save archive; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="PyTorchFormatException">Not a torch.save zip archive (another format, truncated or corrupt).</exception>
    public static TorchArchive Open(Stream stream, string sourceName)
    {
        long origin = stream.Position;
        long length = stream.Length - origin;
        Span<byte> start = stackalloc byte[ZipSignature.Length];
        int read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        stream.Position = origin;
        if (read < ZipSignature.Length || !start[..ZipSignature.Length].SequenceEqual(ZipSignature))
        {
            throw new PyTorchFormatException(sourceName, Unrecognised(start[..read], length));
        }

        ZipArchive? zip = null;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var byName = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (ZipArchiveEntry entry in zip.Entries)
            {
                if (!byName.TryAdd(entry.FullName, entry))
                {
                    throw new PyTorchFormatException(sourceName, $"the archive holds two entries named '{entry.FullName}'");
                }
            }

            string[] pickles = [.. byName.Keys.Where(n => n.EndsWith("/data.pkl", StringComparison.Ordinal) && n.IndexOf('/') == n.Length - "/data.pkl".Length)];
            if (pickles.Length != 1)
            {
                throw new PyTorchFormatException(sourceName, pickles.Length == 0
                    ? "the zip archive has no NAME/data.pkl entry, so it is not a torch.save file"
                    : $"the zip archive has {pickles.Length} data.pkl entries ({string.Join(", ", pickles)})");
            }

            var result = new TorchArchive(zip, sourceName, length, pickles[0][..^"data.pkl".Length], byName);
            result.CheckByteOrder();
            return result;
        }
        catch (Exception e) when (e is not PyTorchFormatException)
        {
            zip?.Dispose();
            if (e is InvalidDataException or IOException or ArgumentException or NotSupportedException)
            {
                throw new PyTorchFormatException(sourceName, $"not a readable zip archive (truncated or corrupt?): {e.Message}", e);
            }

            throw;
        }
        catch
        {
            zip?.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public object? LoadObject() => PickleMachine.Load(ReadPickle(), Resolve);

    /// <summary>The bytes of data.pkl.</summary>
    private byte[] ReadPickle()
    {
        ZipArchiveEntry entry = entries[prefix + "data.pkl"];
        if (entry.Length > MaxPickleBytes)
        {
            throw new PyTorchFormatException(sourceName, $"data.pkl claims {entry.Length} bytes, more than the {MaxPickleBytes} a state dict's pickle could need");
        }

        CheckClaimedLength(entry);
        byte[] bytes = new byte[entry.Length];
        Fill(entry, bytes.Length, (at, length) => bytes.AsSpan((int)at, length));
        return bytes;
    }

    /// <summary>The persistent-id handler: ('storage', torch.XStorage, key, location, numel) becomes a checked <see cref="StorageReference"/>.</summary>
    private object Resolve(object? pid)
    {
        if (pid is not object?[] { Length: 5 } tuple || tuple[0] is not "storage")
        {
            throw new PickleException($"persistent id {PickleMachine.Describe(pid)} is not a ('storage', type, key, location, size) tuple");
        }

        (ScalarType DType, int ItemSize) kind = StorageTypes.FromPickle(tuple[1]);
        if (tuple[2] is not string key || tuple[4] is not long count || count < 0)
        {
            throw new PickleException("a storage's key is not a string or its size is not a non-negative integer");
        }

        if (storages.TryGetValue(key, out StorageReference? known))
        {
            return known.DType == kind.DType && known.Count == count
                ? known
                : throw new PickleException($"storage '{key}' is declared twice with different types or sizes");
        }

        if (!entries.TryGetValue($"{prefix}data/{key}", out ZipArchiveEntry? entry))
        {
            throw new PickleException($"storage '{key}' has no entry {prefix}data/{key} in the archive");
        }

        CheckClaimedLength(entry);
        if (count > entry.Length / kind.ItemSize)
        {
            throw new PickleException($"storage '{key}' declares {count} elements of {kind.ItemSize} bytes, its entry holds {entry.Length} bytes");
        }

        var storage = new StorageReference(kind.DType, kind.ItemSize, key, count);
        storages[key] = storage;
        return storage;
    }

    /// <inheritdoc />
    public Tensor ReadStorage(StorageReference storage)
    {
        ZipArchiveEntry entry = entries[$"{prefix}data/{storage.Key}"];
        long bytes = storage.Count * storage.ItemSize;
        Tensor result = empty(storage.Count, storage.DType);
        try
        {
            // Read straight into the tensor's memory; chunks are whole elements (the chunk size is a multiple of every item size).
            Fill(entry, bytes, (at, length) => TensorMemory.Window(result, at, length, storage.ItemSize));
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => archive.Dispose();

    private void CheckByteOrder()
    {
        if (!entries.TryGetValue(prefix + "byteorder", out ZipArchiveEntry? entry))
        {
            return;
        }

        CheckClaimedLength(entry);
        if (entry.Length > 16)
        {
            throw new PyTorchFormatException(sourceName, $"the byteorder record has {entry.Length} bytes");
        }

        byte[] bytes = new byte[entry.Length];
        Fill(entry, bytes.Length, (at, length) => bytes.AsSpan((int)at, length));
        string order = Encoding.ASCII.GetString(bytes).Trim();
        if (order != "little")
        {
            throw new PyTorchFormatException(sourceName, $"the byte order is '{order}'; only little-endian checkpoints are supported");
        }
    }

    private void CheckClaimedLength(ZipArchiveEntry entry)
    {
        if (entry.CompressedLength > fileLength || entry.Length > (entry.CompressedLength * MaxDeflateRatio) + 1024)
        {
            throw new PyTorchFormatException(sourceName, $"entry {entry.FullName} claims {entry.Length} bytes ({entry.CompressedLength} compressed) in a file of {fileLength}: the archive is corrupt");
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes of <paramref name="entry"/> into the spans <paramref name="destination"/> gives, in chunks.</summary>
    private void Fill(ZipArchiveEntry entry, long count, Destination destination)
    {
        try
        {
            using Stream data = entry.Open();
            long done = 0;
            while (done < count)
            {
                int want = (int)Math.Min(CopyChunk, count - done);
                int got = data.ReadAtLeast(destination(done, want), want, throwOnEndOfStream: false);
                if (got < want)
                {
                    throw new PyTorchFormatException(sourceName, $"entry {entry.FullName} ends after {done + got} of {count} bytes (truncated file?)");
                }

                done += want;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException && e is not PyTorchFormatException)
        {
            throw new PyTorchFormatException(sourceName, $"entry {entry.FullName} cannot be read (truncated or corrupt?): {e.Message}", e);
        }
    }

    private static string Unrecognised(ReadOnlySpan<byte> start, long length)
    {
        if (length == 0)
        {
            return "the file is empty";
        }

        return start.Length > 0 && start[0] == 0x80
            ? "the file is a bare pickle, neither a torch.save zip archive nor a legacy torch.save file (which starts with a pickle of its magic number)"
            : "not a torch.save file (neither a zip archive nor the legacy format)";
    }
}
