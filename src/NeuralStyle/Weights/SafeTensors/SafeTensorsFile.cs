using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace NeuralStyle.Weights.SafeTensors;

/// <summary>Reads safetensors files (huggingface/safetensors): the checked header alone, or the tensors as a state dict.</summary>
/// <remarks>
/// <para>The tensors come back in their file's dtype, as <see cref="PyTorch.PyTorchCheckpoint.Read(string)"/> returns
/// a state dict's, so that loading into a module converts them once (copy_ turns F16, BF16 and F64 into the module's
/// float32). F32, F16, BF16, F64, I64, I32, I16, I8, U8 and BOOL load; a header with other dtypes can still be read
/// with <see cref="ReadHeader"/>, and loading such a tensor is refused with its name and dtype.</para>
/// <para>Memory: each tensor is allocated once, in native memory, and the file's bytes are read straight into it (in
/// chunks of 1 MiB, with no buffer in between), so a file is never held twice (nor once in managed memory) and every
/// byte is copied once. The header is checked in full, against the file's size, before any tensor is allocated.</para>
/// </remarks>
public static class SafeTensorsFile
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Reads and checks the header of <paramref name="path"/> without reading any tensor data.</summary>
    /// <exception cref="SafeTensorsFormatException">The file is not a valid safetensors file; the message names the file, the problem and its offset.</exception>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadCheckedHeader(handle, path);
    }

    /// <summary>Reads every tensor of <paramref name="path"/>: contiguous CPU tensors in the file's dtypes, in header order.</summary>
    /// <exception cref="SafeTensorsFormatException">The file is not a valid safetensors file, or a tensor has a dtype that cannot be loaded.</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(string path) => Read(path, static _ => true);

    /// <summary>Reads the tensors of <paramref name="path"/> whose names <paramref name="select"/> accepts (the header is checked in full).</summary>
    /// <exception cref="SafeTensorsFormatException">The file is not a valid safetensors file, or a selected tensor has a dtype that cannot be loaded.</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(string path, Func<string, bool> select)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(select);
        if (!BitConverter.IsLittleEndian)
        {
            // The data is copied byte for byte into tensors; a big-endian machine would need every element swapped.
            throw new PlatformNotSupportedException("safetensors files are read on little-endian machines only");
        }

        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        SafeTensorsHeader header = ReadCheckedHeader(handle, path);
        SafeTensorsEntry[] wanted = [.. header.Entries.Where(e => select(e.Name))];
        if (wanted.FirstOrDefault(e => e.Dtype.ScalarType is null) is SafeTensorsEntry refused)
        {
            throw new SafeTensorsFormatException(path, $"tensor '{refused.Name}' has dtype {refused.Dtype}, which cannot be loaded as weights (loadable: {SafeTensorsDtype.Loadable})");
        }

        var result = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            // In file order, so the reads go forwards through the file; the result keeps the header's order.
            foreach (SafeTensorsEntry entry in wanted.OrderBy(e => e.Begin))
            {
                tensors[entry.Name] = ReadTensor(handle, header, entry, path);
            }

            foreach (SafeTensorsEntry entry in wanted)
            {
                result[entry.Name] = tensors[entry.Name];
            }
        }
        catch
        {
            // The tensors read before the failure (a truncated file, a refused value) are not handed out: free them.
            foreach (Tensor t in tensors.Values)
            {
                t.Dispose();
            }

            throw;
        }

        return result;
    }

    private static SafeTensorsHeader ReadCheckedHeader(SafeFileHandle handle, string path)
    {
        long fileLength = RandomAccess.GetLength(handle);
        if (fileLength < SafeTensorsHeader.LengthFieldSize)
        {
            throw new SafeTensorsFormatException(path, $"the file has {fileLength} bytes, too few for the 8-byte header length of a safetensors file");
        }

        Span<byte> lengthField = stackalloc byte[SafeTensorsHeader.LengthFieldSize];
        ReadExactly(handle, lengthField, 0, path);
        long length = SafeTensorsHeader.CheckLength(BinaryPrimitives.ReadUInt64LittleEndian(lengthField), fileLength, path);
        byte[] json = new byte[length];
        ReadExactly(handle, json, SafeTensorsHeader.LengthFieldSize, path);
        return SafeTensorsHeader.Parse(json, fileLength, path);
    }

    private static Tensor ReadTensor(SafeFileHandle handle, SafeTensorsHeader header, SafeTensorsEntry entry, string path)
    {
        ScalarType type = entry.Dtype.ScalarType!.Value;
        int itemSize = entry.Dtype.Bits / 8;
        Tensor result = empty(entry.Shape, type);
        try
        {
            // Read straight into the tensor's memory; chunks hold whole elements (ChunkBytes is a multiple of every item size).
            long bytes = entry.ElementCount * itemSize;
            for (long done = 0; done < bytes; done += ChunkBytes)
            {
                int length = (int)Math.Min(ChunkBytes, bytes - done);
                Span<byte> chunk = TensorMemory.Window(result, done, length, itemSize);
                long offset = header.DataStart + entry.Begin + done;
                ReadExactly(handle, chunk, offset, path);
                if (type == ScalarType.Bool)
                {
                    CheckBooleans(chunk, offset, entry.Name, path);
                }
            }

            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>A BOOL byte other than 0 or 1 is no value LibTorch's bool can hold; refused rather than passed on.</summary>
    private static void CheckBooleans(ReadOnlySpan<byte> chunk, long offset, string name, string path)
    {
        int bad = chunk.IndexOfAnyExcept((byte)0, (byte)1);
        if (bad >= 0)
        {
            throw new SafeTensorsFormatException(path, $"tensor '{name}' of dtype BOOL holds the byte {chunk[bad]} at file offset {offset + bad}; a BOOL element is 0 or 1");
        }
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> target, long offset, string path)
    {
        int done = 0;
        while (done < target.Length)
        {
            int read = RandomAccess.Read(handle, target[done..], offset + done);
            if (read == 0)
            {
                // The size was checked when the header was; only a file shrinking while it is read gets here.
                throw new SafeTensorsFormatException(path, $"the file ends at offset {offset + done}, inside data it was checked to hold (did it change while being read?)");
            }

            done += read;
        }
    }
}
