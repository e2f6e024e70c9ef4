using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using NeuralStyle.Files;
using NeuralStyle.Tensors;
using NeuralStyle.Transfer.Optimizers;
using static TorchSharp.torch;

namespace NeuralStyle.Transfer;

/// <summary>Reads and writes <see cref="TransferState"/> files (OUTPUT.state), written atomically at every checkpoint.</summary>
/// <remarks>
/// Layout (little-endian): the 8 bytes "NSSTATE3"; an int32 length and that many bytes of UTF-8 JSON holding the
/// run the state belongs to (<see cref="TransferStateOrigin"/>), the scalars and the names of the tensors in order;
/// then per tensor an int32 rank, rank int64 dimensions and the float32 values in C order; last, the 32-byte SHA-256
/// of everything before it. The checksum is verified before anything else is read, so a damaged file (a flipped bit,
/// a truncated copy) is refused as such; every length is also checked against what the file holds before anything is
/// allocated. SHA-256 rather than a CRC: it is in the base library (no extra package) and, at a few hundred MB/s, it
/// costs little beside writing the tensors. "NSSTATE1" files (no checksum, no origin) are refused with that reason.
/// "NSSTATE3" added the tensor "parameters" (<see cref="TransferState.Parameters"/>, the optimised variable of a run
/// that is not parameterised by pixels); the layout is otherwise NSSTATE2's, which is still read (its states are all
/// of pixels). The signature changed so that a neural-style that predates parameters refuses such a state instead of
/// resuming it from the image alone, dropping the parameters and the optimiser's tensors of their shape.
/// </remarks>
public static class TransferStateFile
{
    private static readonly byte[] Magic = "NSSTATE3"u8.ToArray();
    private static readonly byte[] PixelsOnlyMagic = "NSSTATE2"u8.ToArray();
    private static readonly byte[] OlderMagic = "NSSTATE1"u8.ToArray();
    private const string ParametersName = "parameters";
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private const int MaxRank = 8;
    private const int ChecksumBytes = 32;

    /// <summary>Writes <paramref name="state"/>, saved by the run <paramref name="origin"/> describes, to <paramref name="path"/> through a temporary file and a rename.</summary>
    /// <exception cref="IOException">Writing failed (a full disk, ...): the message names the file and the cause; no temporary file is left and a previous file at <paramref name="path"/> is unchanged.</exception>
    public static void Write(TransferState state, TransferStateOrigin origin, string path) => Write(state, origin, path, wrap: null);

    /// <summary>As <see cref="Write(TransferState, TransferStateOrigin, string)"/>, with a seam that wraps the file's stream (tests inject write failures).</summary>
    internal static void Write(TransferState state, TransferStateOrigin origin, string path, Func<string, Stream, Stream>? wrap)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(origin);
        if (state.Parameters is { } parameters && (parameters.is_complex() || !parameters.is_floating_point()))
        {
            // Written as float32, a complex tensor would lose its imaginary part without a word.
            throw new ArgumentException($"the parameters to save must be real floating-point values (got {parameters.dtype}; store complex coefficients with view_as_real)", nameof(state));
        }

        var tensors = new List<(string Name, Tensor Value)> { ("image", state.Image) };
        Add(tensors, ParametersName, state.Parameters);
        Add(tensors, "best", state.Best);
        Add(tensors, "average", state.Average);
        Add(tensors, "adam.m", state.AdamFirstMoment);
        Add(tensors, "adam.v", state.AdamSecondMoment);
        LbfgsState? l = state.Lbfgs;
        if (l is not null)
        {
            for (int k = 0; k < l.StepDifferences.Count; k++)
            {
                tensors.Add(($"lbfgs.s.{k}", l.StepDifferences[k]));
                tensors.Add(($"lbfgs.y.{k}", l.GradientDifferences[k]));
            }

            Add(tensors, "lbfgs.direction", l.Direction);
            Add(tensors, "lbfgs.previousGradient", l.PreviousGradient);
        }

        var header = new Header(origin, state.CompletedIterations, state.BestLoss, state.AverageSteps, state.AdamStep,
            l is null ? null : new LbfgsScalars([.. l.Rho], l.InitialHessianScale, l.StepSize, l.PreviousLoss, l.Iterations, l.FunctionEvaluations, l.StepDifferences.Count),
            [.. tensors.Select(t => t.Name)]);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header, Json);

        AtomicFile.Write(path, "the run state", stream =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Put(ReadOnlySpan<byte> bytes)
            {
                stream.Write(bytes);
                hash.AppendData(bytes);
            }

            Span<byte> number = stackalloc byte[8];
            Put(Magic);
            BinaryPrimitives.WriteInt32LittleEndian(number, json.Length);
            Put(number[..4]);
            Put(json);
            foreach ((_, Tensor t) in tensors)
            {
                using Tensor cpu = t.detach().to(ScalarType.Float32).cpu().contiguous();
                BinaryPrimitives.WriteInt32LittleEndian(number, cpu.shape.Length);
                Put(number[..4]);
                foreach (long d in cpu.shape)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(number, d);
                    Put(number);
                }

                Put(System.Runtime.InteropServices.MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
            }

            stream.Write(hash.GetHashAndReset());
        }, wrap);
    }

    /// <summary>Reads a state file; any inconsistency is an <see cref="InvalidDataException"/>-like error naming the file and offset.</summary>
    /// <remarks>The returned state's <see cref="TransferState.Origin"/> says which run saved it.</remarks>
    public static TransferState Read(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        if (data.Length >= OlderMagic.Length && data.AsSpan(0, OlderMagic.Length).SequenceEqual(OlderMagic))
        {
            throw Bad(path, 0, "written by an older neural-style (format NSSTATE1, without a checksum or the run it belongs to), so it cannot be checked and is not resumed; start the run again");
        }

        bool pixelsOnly = data.Length >= PixelsOnlyMagic.Length && data.AsSpan(0, PixelsOnlyMagic.Length).SequenceEqual(PixelsOnlyMagic);
        if (!pixelsOnly && (data.Length < Magic.Length || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic)))
        {
            throw Bad(path, 0, "not a neural-style state file (no NSSTATE3 or NSSTATE2 signature)");
        }

        if (data.Length < Magic.Length + 4 + ChecksumBytes)
        {
            throw Bad(path, Magic.Length, "truncated");
        }

        // Everything after this point reads only bytes the checksum vouches for.
        int end = data.Length - ChecksumBytes;
        if (!SHA256.HashData(data.AsSpan(0, end)).AsSpan().SequenceEqual(data.AsSpan(end)))
        {
            throw new InvalidDataException($"{path}: the SHA-256 checksum does not match the contents: the file is damaged (changed or truncated after it was written)");
        }

        ReadOnlySpan<byte> body = data.AsSpan(0, end);
        int offset = Magic.Length;
        int jsonLength = ReadInt32(body, ref offset, path);
        if (jsonLength < 0 || jsonLength > body.Length - offset)
        {
            throw Bad(path, offset - 4, $"header length {jsonLength} exceeds the file");
        }

        Header header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(body.Slice(offset, jsonLength), Json) ?? throw Bad(path, offset, "empty header");
        }
        catch (Exception e) when (e is JsonException or EndOfStreamException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            throw Bad(path, offset, "header is not valid JSON: " + e.Message);
        }

        if (header.Tensors is null || header.Tensors.Any(t => t is null) || header.Tensors.Distinct().Count() != header.Tensors.Length
            || header.Lbfgs is { Rho: null } || header.CompletedIterations < 0
            || header.Origin is not { NetworkSha256: not null, Network: not null, Options: not null, Width: > 0, Height: > 0 }
            || header.Origin.Options.Values.Any(v => v is null))
        {
            throw Bad(path, offset, "header is incomplete or inconsistent");
        }

        if (pixelsOnly && header.Tensors.Contains(ParametersName))
        {
            throw Bad(path, offset, $"an NSSTATE2 state names a '{ParametersName}' tensor, which that format does not have");
        }

        offset += jsonLength;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (string name in header.Tensors)
            {
                tensors[name] = ReadTensor(body, ref offset, path, name);
            }

            if (offset != body.Length)
            {
                throw Bad(path, offset, $"{body.Length - offset} bytes after the last tensor");
            }

            if (!tensors.TryGetValue("image", out Tensor? image))
            {
                throw Bad(path, offset, "no image tensor");
            }

            if (!image.shape.SequenceEqual([1L, 3L, header.Origin.Height, header.Origin.Width]))
            {
                throw Bad(path, offset, $"the image tensor is {string.Join('x', image.shape)}, the header says {header.Origin.Width}x{header.Origin.Height}");
            }

            CheckOptimisedShapes(tensors, image, path);
            return Assemble(header, tensors, path);
        }
        catch
        {
            foreach (Tensor t in tensors.Values)
            {
                t.Dispose();
            }

            throw;
        }
    }

    private static TransferState Assemble(Header h, Dictionary<string, Tensor> t, string path)
    {
        LbfgsState? lbfgs = null;
        if (h.Lbfgs is LbfgsScalars l)
        {
            if (l.Rho.Length != l.Pairs)
            {
                throw Bad(path, 0, $"{l.Rho.Length} L-BFGS rho values for {l.Pairs} pairs");
            }

            var s = new List<Tensor>();
            var y = new List<Tensor>();
            for (int k = 0; k < l.Pairs; k++)
            {
                s.Add(Required(t, $"lbfgs.s.{k}", path));
                y.Add(Required(t, $"lbfgs.y.{k}", path));
            }

            lbfgs = new LbfgsState(s, y, l.Rho, l.InitialHessianScale, t.GetValueOrDefault("lbfgs.direction"), t.GetValueOrDefault("lbfgs.previousGradient"), l.StepSize, l.PreviousLoss, l.Iterations, l.FunctionEvaluations);
        }

        return new TransferState
        {
            CompletedIterations = h.CompletedIterations,
            Image = t["image"],
            Parameters = t.GetValueOrDefault(ParametersName),
            Best = t.GetValueOrDefault("best"),
            BestLoss = h.BestLoss,
            Average = t.GetValueOrDefault("average"),
            AverageSteps = h.AverageSteps,
            AdamStep = h.AdamStep,
            AdamFirstMoment = t.GetValueOrDefault("adam.m"),
            AdamSecondMoment = t.GetValueOrDefault("adam.v"),
            Lbfgs = lbfgs,
            Origin = h.Origin,
        };
    }

    // The optimiser's tensors have the shape of what it optimises: the parameters when there are any, else the image.
    // A state that breaks this would fail deep in LibTorch on the first step; here it is named.
    private static void CheckOptimisedShapes(Dictionary<string, Tensor> t, Tensor image, string path)
    {
        Tensor? parameters = t.GetValueOrDefault(ParametersName);
        if (parameters is not null && parameters.numel() == 0)
        {
            throw Bad(path, 0, $"tensor '{ParametersName}' is empty ({string.Join('x', parameters.shape)})");
        }

        long[] optimised = (parameters ?? image).shape;
        foreach ((string name, Tensor value) in t)
        {
            bool ofTheOptimiser = name.StartsWith("adam.", StringComparison.Ordinal) || name.StartsWith("lbfgs.", StringComparison.Ordinal);
            if (ofTheOptimiser && !value.shape.SequenceEqual(optimised))
            {
                throw Bad(path, 0, $"tensor '{name}' is {string.Join('x', value.shape)}, the {(parameters is null ? "image" : ParametersName)} it belongs to {string.Join('x', optimised)}");
            }
        }
    }

    private static Tensor ReadTensor(ReadOnlySpan<byte> data, ref int offset, string path, string name)
    {
        int start = offset;
        int rank = ReadInt32(data, ref offset, path);
        if (rank is < 0 or > MaxRank)
        {
            throw Bad(path, start, $"tensor '{name}' has rank {rank}");
        }

        long[] dims = new long[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            if (data.Length - offset < 8)
            {
                throw Bad(path, offset, $"truncated in the dimensions of '{name}'");
            }

            dims[d] = BinaryPrimitives.ReadInt64LittleEndian(data[offset..]);
            offset += 8;
            if (dims[d] < 0 || (dims[d] > 0 && count > (data.Length - offset) / 4 / dims[d]))
            {
                throw Bad(path, offset - 8, $"tensor '{name}' declares {string.Join('x', dims.Take(d + 1))} values, more than the file holds");
            }

            count *= dims[d];
        }

        if (count * 4 > data.Length - offset)
        {
            throw Bad(path, offset, $"tensor '{name}' is truncated");
        }

        if (!TensorShapes.IsAddressable(dims))
        {
            // An empty tensor's other sizes are bounded by nothing above, and LibTorch refuses them with a bare native error.
            throw Bad(path, start, $"tensor '{name}' has sizes {string.Join('x', dims)}, beyond what a tensor can describe");
        }

        float[] values = new float[count];
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data.Slice(offset, (int)(count * 4))).CopyTo(values);
        offset += (int)(count * 4);
        return tensor(values, dims, ScalarType.Float32);
    }

    private static int ReadInt32(ReadOnlySpan<byte> data, ref int offset, string path)
    {
        if (data.Length - offset < 4)
        {
            throw Bad(path, offset, "truncated");
        }

        int value = BinaryPrimitives.ReadInt32LittleEndian(data[offset..]);
        offset += 4;
        return value;
    }

    private static Tensor Required(Dictionary<string, Tensor> t, string name, string path) =>
        t.TryGetValue(name, out Tensor? value) ? value : throw Bad(path, 0, $"tensor '{name}' is missing");

    private static void Add(List<(string, Tensor)> list, string name, Tensor? value)
    {
        if (value is not null)
        {
            list.Add((name, value));
        }
    }

    // One line: the JSON parser's messages quote the damaged text, which may hold a newline (found by the fuzz test).
    private static InvalidDataException Bad(string path, long offset, string what) => new(MessageText.OneLine($"{path}: byte {offset}: {what}"));

    private sealed record Header(TransferStateOrigin Origin, int CompletedIterations, double BestLoss, long AverageSteps, long AdamStep, LbfgsScalars? Lbfgs, string[] Tensors);

    private sealed record LbfgsScalars(double[] Rho, double InitialHessianScale, double StepSize, double PreviousLoss, long Iterations, long FunctionEvaluations, int Pairs);
}
