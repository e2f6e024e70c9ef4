using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Weights.PyTorch;

/// <summary>Reads state dicts saved with PyTorch's torch.save (the zip format of PyTorch 1.6 and later, and the legacy format before it) and loads them into modules.</summary>
/// <remarks>
/// <para>The pickle inside the archive is read by a restricted unpickler of our own rather than TorchSharp.PyBridge's
/// <c>PyTorchUnpickler</c> (1.4.4), which, tried on this project's fixtures, returns the keys in hash order, fails with
/// an ExternalException on a tensor that views part of a shared storage (a saved slice), sizes buffers from lengths in
/// the file before checking them, and reports a legacy file or a whole pickled module with NotImplementedException.</para>
/// <para>The layout is told by content, not by name: a zip archive (<see cref="TorchArchive"/>) or the legacy sequence
/// of pickles followed by raw storages (<see cref="LegacyTorchFile"/>); both go through the same unpickler, the same
/// state-dict search and the same checks of every view against its storage.</para>
/// <para>A checkpoint that nests the state dict under a single 'state_dict' or 'model' entry (with other entries such
/// as 'epoch' or 'optimizer' beside it) is unwrapped. <see cref="Read(string)"/> returns keys exactly as saved;
/// <see cref="LoadInto"/> strips the 'module.' prefix of an nn.DataParallel save when every saved key has it and the
/// module's keys do not.</para>
/// </remarks>
public static class PyTorchCheckpoint
{
    private const long MaxRepeatedElements = 1 << 24;

    /// <summary>Reads the state dict in <paramref name="path"/>: float and integer CPU tensors, contiguous, in the file's key order.</summary>
    /// <exception cref="PyTorchFormatException">The file is not a torch.save file (zip or legacy) holding a state dict; the message names the file and the problem.</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, path);
    }

    /// <summary>
    /// Reads only the tensors whose keys <paramref name="select"/> accepts (the storages of the others are never read),
    /// and lists every key of the file in <paramref name="allKeys"/>: a VGG backbone needs 80 MB of VGG-19's 548.
    /// </summary>
    /// <exception cref="PyTorchFormatException">The file is not a torch.save file (zip or legacy) holding a state dict.</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(string path, Func<string, bool> select, out IReadOnlyList<string> allKeys)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(select);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, path, select, out allKeys);
    }

    /// <summary>Reads a state dict from <paramref name="stream"/> (seekable; left open); <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="PyTorchFormatException">The stream does not hold a torch.save file (zip or legacy) with a state dict.</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(Stream stream, string sourceName) => Read(stream, sourceName, static _ => true, out _);

    private static IReadOnlyDictionary<string, Tensor> Read(Stream stream, string sourceName, Func<string, bool> select, out IReadOnlyList<string> allKeys)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("the stream must be seekable (a zip archive is read from its end, a legacy file's storages after its pickles)", nameof(stream));
        }

        if (LegacyTorchFile.RecognisesTar(stream))
        {
            throw new PyTorchFormatException(sourceName, "the file is a tar archive: the torch.save format of PyTorch before 0.1.10 (early 2017), which is not supported");
        }

        using ITorchFile file = LegacyTorchFile.Recognises(stream) ? LegacyTorchFile.Open(stream, sourceName) : TorchArchive.Open(stream, sourceName);
        List<KeyValuePair<string, TensorReference>> entries;
        try
        {
            object? root = file.LoadObject();
            entries = StateDictLocator.Find(root);
            long viewed = 0;
            foreach ((string key, TensorReference reference) in entries)
            {
                long count = CheckExtent(key, reference);
                viewed = count > long.MaxValue - viewed ? long.MaxValue : viewed + count;
            }

            CheckMaterialisedSize(entries, viewed);
        }
        catch (PickleException e)
        {
            throw new PyTorchFormatException(sourceName, e.Message, e);
        }

        allKeys = [.. entries.Select(e => e.Key)];
        return Materialise(file, [.. entries.Where(e => select(e.Key))]);
    }

    /// <summary>Copies the state dict in <paramref name="path"/> into <paramref name="module"/>'s parameters and buffers.</summary>
    /// <param name="module">The module to fill; its tensors keep their own dtype (float64 values become float32, integer buffers such as num_batches_tracked are converted).</param>
    /// <param name="path">A torch.save'd state dict.</param>
    /// <param name="strict">Require the file's keys to be exactly the module's. Shapes must match either way.</param>
    /// <exception cref="PyTorchFormatException">The file cannot be read, or its keys or shapes do not match the module: the message lists missing and unexpected keys (the first ten of each, with counts) and every shape mismatch.</exception>
    public static void LoadInto(nn.Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        IReadOnlyDictionary<string, Tensor> saved = Read(path);
        try
        {
            StateDictMatching.CopyInto(module, saved, strict, detail => new PyTorchFormatException(path, detail));
        }
        finally
        {
            foreach (Tensor t in saved.Values)
            {
                t.Dispose();
            }
        }
    }

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>
    /// Views may repeat storage elements (a stride of 0, as torch.expand saves; tied weights under two keys), so the
    /// tensors can hold more elements than the storages, and each is copied out of its storage. Without a bound, a few
    /// bytes of pickle made LibTorch allocate as much as the sizes said (size [8192, 8192] with stride [0, 0] over one
    /// stored float: 256 MB; larger sizes cost as much more), found while the fuzz targets were written. Four times
    /// the stored elements, plus 16M for small expanded views, is far more than any real state dict needs.
    /// </summary>
    private static void CheckMaterialisedSize(List<KeyValuePair<string, TensorReference>> entries, long viewed)
    {
        long stored = entries.Select(e => e.Value.Storage).Distinct(ReferenceEqualityComparer.Instance).Cast<StorageReference>().Sum(s => s.Count);
        if (viewed > (4 * stored) + MaxRepeatedElements)
        {
            throw new PickleException($"the tensors hold {viewed} elements in all, far more than the {stored} their storages hold (views that repeat elements, such as a stride of 0 with a large size)");
        }
    }

    /// <summary>Checks that the view lies within its storage (checked arithmetic: a lying size or stride cannot overflow); returns its element count.</summary>
    private static long CheckExtent(string key, TensorReference t)
    {
        if (t.Offset < 0 || t.Shape.Any(d => d < 0) || t.Stride.Any(s => s < 0))
        {
            throw new PickleException($"tensor '{key}' has a negative offset, size or stride");
        }

        try
        {
            long count = 1, last = t.Offset;
            for (int i = 0; i < t.Shape.Length; i++)
            {
                count = checked(count * t.Shape[i]);
                if (t.Shape[i] > 0)
                {
                    last = checked(last + ((t.Shape[i] - 1) * t.Stride[i]));
                }
            }

            if (count > 0 && last >= t.Storage.Count)
            {
                throw new PickleException($"tensor '{key}' (size {Shape(t.Shape)}, stride {Shape(t.Stride)}, offset {t.Offset}) reaches element {last} of a storage of {t.Storage.Count}");
            }

            if (count == 0 && t.Offset > t.Storage.Count)
            {
                throw new PickleException($"tensor '{key}' starts at offset {t.Offset} beyond its storage of {t.Storage.Count}");
            }

            return count;
        }
        catch (OverflowException)
        {
            throw new PickleException($"tensor '{key}' has a size or stride too large to address (size {Shape(t.Shape)}, stride {Shape(t.Stride)})");
        }
    }

    /// <summary>Reads each storage once and cuts the tensors from it; a tensor keeps its storage's memory only when it is all of it.</summary>
    private static OrderedDictionary<string, Tensor> Materialise(ITorchFile file, List<KeyValuePair<string, TensorReference>> entries)
    {
        var result = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        var read = new Dictionary<StorageReference, Tensor>(ReferenceEqualityComparer.Instance);
        try
        {
            foreach ((string key, TensorReference t) in entries)
            {
                if (!read.TryGetValue(t.Storage, out Tensor? storage))
                {
                    storage = file.ReadStorage(t.Storage);
                    read[t.Storage] = storage;
                }

                Tensor view = storage.as_strided(t.Shape, t.Stride, t.Offset);
                bool whole = t.Storage.Uses == 1 && t.Offset == 0 && view.numel() == t.Storage.Count && view.is_contiguous();
                if (whole)
                {
                    result[key] = view;
                }
                else
                {
                    result[key] = view.is_contiguous() ? view.clone() : view.contiguous();
                    view.Dispose();
                }
            }
        }
        catch
        {
            foreach (Tensor t in result.Values)
            {
                t.Dispose();
            }

            throw;
        }
        finally
        {
            foreach (Tensor storage in read.Values)
            {
                storage.Dispose();
            }
        }

        return result;
    }
}
