using System.Buffers.Binary;
using NeuralStyle.Weights.PyTorch;
using NeuralStyle.Weights.SafeTensors;
using static TorchSharp.torch;

namespace NeuralStyle.Weights;

/// <summary>Reads a state dict from a torch.save file (zip or legacy) or a safetensors file, told apart by content, and loads it into a module.</summary>
/// <remarks>
/// <para>The format is taken from the first bytes, never from the file's name: files are renamed, downloaded under
/// other names, and hubs call every safetensors file model.safetensors and many torch files .bin or .ckpt. A zip
/// archive starts with "PK\x03\x04", a legacy torch.save with pickle protocol 2 (0x80 0x02), a tar archive (torch.save
/// before 0.1.10) has "ustar" at byte 257, and a safetensors file with the length of its JSON header, which must fit
/// in the file, followed by '{'. Each reader then checks the whole file as it always does.</para>
/// <para>Loading is strict in every format and by the same rules (<see cref="StateDictMatching"/>): a file whose
/// keys are named differently (timm's or a hub's names rather than torchvision's) is reported with its missing and
/// unexpected keys; no renaming is guessed.</para>
/// </remarks>
public static class StateDictFile
{
    /// <summary>The formats accepted, for messages.</summary>
    public const string Accepted = "a PyTorch state dict saved with torch.save (zip or legacy format) or a safetensors file";

    private const int SafeTensorsPrefix = 8;
    private const int TarMagicAt = 257;

    /// <summary>Tells the format of <paramref name="path"/> from its first bytes.</summary>
    /// <exception cref="WeightsFormatException">The file is empty or none of the formats; the message names the file, its first bytes and the formats accepted.</exception>
    public static StateDictFormat Detect(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> start = stackalloc byte[TarMagicAt + 5];
        int read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        return Detect(start[..read], stream.Length) ?? throw new WeightsFormatException(path, read == 0
            ? $"the file is empty; expected {Accepted}"
            : $"not a weights file this program reads (it starts with {Hex(start[..Math.Min(read, 8)])}); expected {Accepted}");
    }

    /// <summary>Reads every tensor of <paramref name="path"/>, in the file's dtypes and key order; the caller disposes them.</summary>
    /// <exception cref="IOException">The format is unknown (<see cref="WeightsFormatException"/>) or the file is damaged (<see cref="PyTorchFormatException"/>, <see cref="SafeTensorsFormatException"/>).</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(string path) => Detect(path) switch
    {
        StateDictFormat.SafeTensors => SafeTensorsFile.Read(path),
        _ => PyTorchCheckpoint.Read(path),
    };

    /// <summary>Copies the state dict in <paramref name="path"/>, whatever its format, into <paramref name="module"/>.</summary>
    /// <param name="module">The module to fill; its tensors keep their own dtype (float64, float16 and bfloat16 values become float32).</param>
    /// <param name="path">A torch.save file (zip or legacy) or a safetensors file.</param>
    /// <param name="strict">Require the file's keys to be exactly the module's. Shapes must match either way.</param>
    /// <exception cref="IOException">The format is unknown, the file is damaged, or its keys or shapes do not match the module: the message names the file and lists missing and unexpected keys and shape mismatches.</exception>
    public static void LoadInto(nn.Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (Detect(path) != StateDictFormat.SafeTensors)
        {
            PyTorchCheckpoint.LoadInto(module, path, strict);
            return;
        }

        IReadOnlyDictionary<string, Tensor> saved = SafeTensorsFile.Read(path);
        try
        {
            StateDictMatching.CopyInto(module, saved, strict, detail => new SafeTensorsFormatException(path, detail));
        }
        finally
        {
            foreach (Tensor t in saved.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>The format of a file that starts with <paramref name="start"/> and is <paramref name="length"/> bytes long, or null.</summary>
    internal static StateDictFormat? Detect(ReadOnlySpan<byte> start, long length)
    {
        if (start.StartsWith("PK\x03\x04"u8))
        {
            return StateDictFormat.TorchZip;
        }

        if (start.StartsWith((ReadOnlySpan<byte>)[0x80, 0x02]) || (start.Length >= TarMagicAt + 5 && start.Slice(TarMagicAt, 5).SequenceEqual("ustar"u8)))
        {
            // PyTorchCheckpoint checks the legacy magic number itself and names a tar archive as too old.
            return StateDictFormat.TorchLegacy;
        }

        if (start.Length > SafeTensorsPrefix && start[SafeTensorsPrefix] == (byte)'{')
        {
            ulong header = BinaryPrimitives.ReadUInt64LittleEndian(start);
            if (header >= 2 && header <= (ulong)(length - SafeTensorsPrefix))
            {
                return StateDictFormat.SafeTensors;
            }
        }

        return null;
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => "bytes " + string.Join(" ", bytes.ToArray().Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
}
