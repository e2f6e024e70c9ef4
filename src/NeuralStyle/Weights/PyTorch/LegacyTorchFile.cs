using System.Buffers.Binary;
using System.Numerics;
using static TorchSharp.torch;

namespace NeuralStyle.Weights.PyTorch;

/// <summary>
/// The legacy torch.save layout (the default before PyTorch 1.6, and what torchvision's and many older checkpoints
/// still are): protocol-2 pickles one after another (the magic number, the format version 1001, a sys_info dict, the
/// object, the sorted list of storage keys), then for each listed key its storage: an 8-byte little-endian element
/// count and the raw little-endian elements. The object pickle names storages by persistent ids
/// ('storage', torch.XStorage, key, location, numel, view) with view None or, in files of PyTorch before 0.4,
/// (view key, offset, numel) for a part of the storage. Every count and offset is checked against the file before a
/// storage is read.
/// </summary>
internal sealed class LegacyTorchFile : ITorchFile
{
    private const long FormatVersion = 1001;

    // The pickles are read from a prefix of the file, grown when they run past it; a state dict's stay far below the cap.
    private const int FirstWindow = 1 << 20;
    private const long MaxPickleBytes = 64L << 20;

    private const int CopyChunk = 4 << 20;

    // The protocol-2 pickle of the magic number 0x1950a86a20f9469cfc6c (PROTO 2, LONG1 of 10 bytes) starts the file.
    private static readonly byte[] Start = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19];

    private static readonly BigInteger MagicNumber = BigInteger.Parse("1950a86a20f9469cfc6c", System.Globalization.NumberStyles.HexNumber);

    private readonly Stream stream;
    private readonly string sourceName;
    private readonly long origin;
    private readonly long length;
    private readonly Dictionary<string, StorageReference> roots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (StorageReference View, string Root, long Offset)> views = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> dataOffsets = new(StringComparer.Ordinal);

    private LegacyTorchFile(Stream stream, string sourceName)
    {
        this.stream = stream;
        this.sourceName = sourceName;
        origin = stream.Position;
        length = stream.Length - origin;
    }

    /// <summary>Whether <paramref name="stream"/> (seekable; its position is kept) starts as a legacy torch.save file does.</summary>
    public static bool Recognises(Stream stream)
    {
        long at = stream.Position;
        Span<byte> start = stackalloc byte[Start.Length];
        int read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        stream.Position = at;
        return read == Start.Length && start.SequenceEqual(Start);
    }

    /// <summary>Whether <paramref name="stream"/> (seekable; its position is kept) is a tar archive, as torch.save wrote before PyTorch 0.1.10.</summary>
    public static bool RecognisesTar(Stream stream)
    {
        long at = stream.Position;
        Span<byte> header = stackalloc byte[262];
        int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        stream.Position = at;
        return read == header.Length && header[257..].SequenceEqual("ustar"u8);
    }

    /// <summary>Reads the legacy file in <paramref name="stream"/> from its current position (left open); <paramref name="sourceName"/> names it in errors.</summary>
    public static LegacyTorchFile Open(Stream stream, string sourceName) => new(stream, sourceName);

    /// <inheritdoc />
    public object? LoadObject()
    {
        long cap = Math.Min(length, MaxPickleBytes);
        for (long window = Math.Min(cap, FirstWindow); ; window = Math.Min(cap, window * 8))
        {
            roots.Clear();
            views.Clear();
            byte[] head = new byte[window];
            stream.Position = origin;
            stream.ReadExactly(head);
            try
            {
                return Parse(head);
            }
            catch (PickleException e) when (e.EndOfData && window < cap)
            {
                // The pickles go on past the bytes read so far: read more and start again.
            }
            catch (PickleException e) when (e.EndOfData)
            {
                throw new PyTorchFormatException(sourceName, window < length
                    ? $"the pickles at the start of the file go on past {MaxPickleBytes} bytes, far more than a state dict's ({e.Message})"
                    : $"the file ends inside its pickles (truncated?): {e.Message}");
            }
        }
    }

    /// <inheritdoc />
    public Tensor ReadStorage(StorageReference storage)
    {
        long at = views.TryGetValue(storage.Key, out var view) && ReferenceEquals(view.View, storage)
            ? dataOffsets[view.Root] + (view.Offset * storage.ItemSize)
            : dataOffsets[storage.Key];
        long bytes = storage.Count * storage.ItemSize;
        Tensor result = empty(storage.Count, storage.DType);
        try
        {
            stream.Position = origin + at;
            for (long done = 0; done < bytes;)
            {
                // Read straight into the tensor's memory; chunks are whole elements (the chunk size is a multiple of every item size).
                int want = (int)Math.Min(CopyChunk, bytes - done);
                int got = stream.ReadAtLeast(TensorMemory.Window(result, done, want, storage.ItemSize), want, throwOnEndOfStream: false);
                if (got < want)
                {
                    throw new PyTorchFormatException(sourceName, $"storage '{storage.Key}' ends at byte {at + done + got} of the {at + bytes} it needs (the file changed while it was read?)");
                }

                done += want;
            }

            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The stream belongs to the caller.
    }

    private object? Parse(byte[] head)
    {
        int at = 0;
        object? magic = Next(head, ref at, "magic number", NoPersistentIds);
        if (magic is not BigInteger number || number != MagicNumber)
        {
            throw new PyTorchFormatException(sourceName, $"byte 0: the first pickle is {PickleMachine.Describe(magic)}, not the legacy torch.save magic number");
        }

        int versionAt = at;
        object? version = Next(head, ref at, "format version", NoPersistentIds);
        if (version is not long v || v != FormatVersion)
        {
            throw new PyTorchFormatException(sourceName, $"byte {versionAt}: the legacy torch.save format version is {PickleMachine.Describe(version)}; only {FormatVersion} exists");
        }

        int infoAt = at;
        if (Next(head, ref at, "sys_info", NoPersistentIds) is not PickleDict info)
        {
            throw new PyTorchFormatException(sourceName, $"byte {infoAt}: the sys_info pickle is not a dict");
        }

        if (info.ContainsKey("little_endian") && info.Get("little_endian") is not true)
        {
            throw new PyTorchFormatException(sourceName, $"byte {infoAt}: sys_info says the file was written on a big-endian machine (little_endian: {PickleMachine.Describe(info.Get("little_endian"))}); only little-endian checkpoints are supported");
        }

        object? root = Next(head, ref at, "object", Resolve);
        int keysAt = at;
        object? keys = Next(head, ref at, "storage key list", NoPersistentIds);
        CheckStorages(keys, keysAt, at);
        return root;
    }

    /// <summary>Runs the pickle at <paramref name="at"/> and moves <paramref name="at"/> past it.</summary>
    private static object? Next(byte[] head, ref int at, string what, Func<object?, object> persistentLoad)
    {
        try
        {
            object? value = PickleMachine.Load(head, at, persistentLoad, out int end);
            at = end;
            return value;
        }
        catch (PickleException e)
        {
            throw new PickleException($"the {what} pickle (from file byte {at}): {e.Message}", e.EndOfData);
        }
    }

    private static object NoPersistentIds(object? pid) => throw new PickleException($"persistent id {PickleMachine.Describe(pid)} outside the object pickle");

    /// <summary>The persistent-id handler of the object pickle: a storage (or an old storage view), or a module class.</summary>
    private object Resolve(object? pid)
    {
        if (pid is object?[] { Length: >= 2 } module && module[0] is "module" && module[1] is PickleGlobal type)
        {
            // torch.save(model) names each module class with its source; the class alone says what the file holds.
            return type;
        }

        if (pid is not object?[] { Length: 6 } tuple || tuple[0] is not "storage")
        {
            throw new PickleException($"persistent id {PickleMachine.Describe(pid)} is not a ('storage', type, key, location, size, view) tuple");
        }

        (ScalarType dtype, int itemSize) = StorageTypes.FromPickle(tuple[1]);
        if (tuple[2] is not string key || tuple[4] is not long count || count < 0)
        {
            throw new PickleException("a storage's key is not a string or its size is not a non-negative integer");
        }

        if (views.ContainsKey(key))
        {
            throw new PickleException($"'{key}' is both a storage and a view");
        }

        if (roots.TryGetValue(key, out StorageReference? known))
        {
            if (known.DType != dtype || known.Count != count)
            {
                throw new PickleException($"storage '{key}' is declared twice with different types or sizes");
            }
        }
        else
        {
            known = new StorageReference(dtype, itemSize, key, count);
            roots[key] = known;
        }

        return tuple[5] switch
        {
            null => known,
            object?[] { Length: 3 } view => View(known, view),
            var other => throw new PickleException($"storage '{key}' has view metadata {PickleMachine.Describe(other)}, not None or (key, offset, size)"),
        };
    }

    /// <summary>A part of storage <paramref name="root"/> (PyTorch before 0.4 saved these): elements offset .. offset + size.</summary>
    private StorageReference View(StorageReference root, object?[] view)
    {
        if (view[0] is not string key || view[1] is not long offset || view[2] is not long count || offset < 0 || count < 0)
        {
            throw new PickleException($"storage '{root.Key}' has a view that is not (key, offset, size) with non-negative integers");
        }

        if (offset > root.Count || count > root.Count - offset)
        {
            throw new PickleException($"storage view '{key}' (elements {offset} to {offset + count}) reaches beyond its storage '{root.Key}' of {root.Count}");
        }

        if (views.TryGetValue(key, out var known))
        {
            return known.Root == root.Key && known.Offset == offset && known.View.Count == count
                ? known.View
                : throw new PickleException($"storage view '{key}' is declared twice differently");
        }

        if (roots.ContainsKey(key))
        {
            throw new PickleException($"'{key}' is both a storage and a view");
        }

        var storage = new StorageReference(root.DType, root.ItemSize, key, count);
        views[key] = (storage, root.Key, offset);
        return storage;
    }

    /// <summary>Matches the key list against the declared storages and finds each storage's bytes, which must fill the rest of the file exactly.</summary>
    private void CheckStorages(object? keys, int keysAt, int dataStart)
    {
        if (keys is not List<object?> list)
        {
            throw new PyTorchFormatException(sourceName, $"byte {keysAt}: the storage key list is {PickleMachine.Describe(keys)}, not a list");
        }

        string[] listed = [.. list.Select(k => k as string ?? throw new PyTorchFormatException(sourceName, $"byte {keysAt}: the storage key list holds {PickleMachine.Describe(k)}, not a key"))];
        if (listed.Distinct(StringComparer.Ordinal).Count() != listed.Length)
        {
            throw new PyTorchFormatException(sourceName, $"byte {keysAt}: the storage key list names a storage twice");
        }

        if (listed.FirstOrDefault(k => !roots.ContainsKey(k)) is string unknown)
        {
            throw new PyTorchFormatException(sourceName, $"byte {keysAt}: the storage key list names '{unknown}', which no tensor in the object pickle uses");
        }

        if (listed.Length != roots.Count)
        {
            string missing = roots.Keys.First(k => !listed.Contains(k, StringComparer.Ordinal));
            throw new PyTorchFormatException(sourceName, $"byte {keysAt}: the storage key list names {listed.Length} storages, the object pickle uses {roots.Count} ('{missing}' is not listed)");
        }

        dataOffsets.Clear();
        long at = dataStart;
        Span<byte> header = stackalloc byte[8];
        for (int i = 0; i < listed.Length; i++)
        {
            StorageReference storage = roots[listed[i]];
            string which = $"storage '{storage.Key}' ({i + 1} of {listed.Length})";
            if (length - at < 8)
            {
                throw new PyTorchFormatException(sourceName, $"byte {at}: the file ends before {which} (truncated?)");
            }

            stream.Position = origin + at;
            stream.ReadExactly(header);
            long count = BinaryPrimitives.ReadInt64LittleEndian(header);
            if (count != storage.Count)
            {
                throw new PyTorchFormatException(sourceName, $"byte {at}: {which} holds {count} elements, the object pickle's tensors declare {storage.Count}");
            }

            long available = length - at - 8;
            if (storage.Count > available / storage.ItemSize)
            {
                throw new PyTorchFormatException(sourceName, $"byte {at + 8}: {which} needs {storage.Count} x {storage.ItemSize} bytes, the file has {available} left (truncated?)");
            }

            dataOffsets[storage.Key] = at + 8;
            at += 8 + (storage.Count * storage.ItemSize);
        }

        if (at != length)
        {
            throw new PyTorchFormatException(sourceName, $"byte {at}: {length - at} bytes follow the last storage; a legacy torch.save file ends with it");
        }
    }
}
