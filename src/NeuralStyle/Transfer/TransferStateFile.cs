using System.Buffers.Binary;
using System.Text.Json;
using NeuralStyle.Transfer.Optimizers;
using static TorchSharp.torch;

namespace NeuralStyle.Transfer;

/// <summary>Reads and writes <see cref="TransferState"/> files (OUTPUT.state), written atomically at every checkpoint.</summary>
/// <remarks>
/// Layout (little-endian): the 8 bytes "NSSTATE1"; an int32 length and that many bytes of UTF-8 JSON holding the
/// scalars and the names of the tensors in order; then per tensor an int32 rank, rank int64 dimensions and the
/// float32 values in C order. Every length is checked against what the file still holds before anything is allocated.
/// </remarks>
public static class TransferStateFile
{
    private static readonly byte[] Magic = "NSSTATE1"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private const int MaxRank = 8;

    /// <summary>Writes <paramref name="state"/> to <paramref name="path"/> through a temporary file and a rename.</summary>
    public static void Write(TransferState state, string path)
    {
        var tensors = new List<(string Name, Tensor Value)> { ("image", state.Image) };
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

        var header = new Header(state.CompletedIterations, state.BestLoss, state.AverageSteps, state.AdamStep,
            l is null ? null : new LbfgsScalars([.. l.Rho], l.InitialHessianScale, l.StepSize, l.PreviousLoss, l.Iterations, l.FunctionEvaluations, l.StepDifferences.Count),
            [.. tensors.Select(t => t.Name)]);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header, Json);

        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(json.Length);
            writer.Write(json);
            foreach ((_, Tensor t) in tensors)
            {
                using Tensor cpu = t.detach().to(ScalarType.Float32).cpu().contiguous();
                writer.Write((int)cpu.shape.Length);
                foreach (long d in cpu.shape)
                {
                    writer.Write(d);
                }

                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads a state file; any inconsistency is an <see cref="InvalidDataException"/>-like error naming the file and offset.</summary>
    public static TransferState Read(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        int offset = 0;
        if (data.Length < Magic.Length || !data.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw Bad(path, 0, "not a neural-style state file (no NSSTATE1 signature)");
        }

        offset = Magic.Length;
        int jsonLength = ReadInt32(data, ref offset, path);
        if (jsonLength < 0 || jsonLength > data.Length - offset)
        {
            throw Bad(path, offset - 4, $"header length {jsonLength} exceeds the file");
        }

        Header header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(data.AsSpan(offset, jsonLength), Json) ?? throw Bad(path, offset, "empty header");
        }
        catch (Exception e) when (e is JsonException or EndOfStreamException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            throw Bad(path, offset, "header is not valid JSON: " + e.Message);
        }

        if (header.Tensors is null || header.Tensors.Any(t => t is null) || header.Tensors.Distinct().Count() != header.Tensors.Length
            || header.Lbfgs is { Rho: null } || header.CompletedIterations < 0)
        {
            throw Bad(path, offset, "header is incomplete or inconsistent");
        }

        offset += jsonLength;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (string name in header.Tensors)
            {
                tensors[name] = ReadTensor(data, ref offset, path, name);
            }

            if (offset != data.Length)
            {
                throw Bad(path, offset, $"{data.Length - offset} bytes after the last tensor");
            }

            if (!tensors.ContainsKey("image"))
            {
                throw Bad(path, offset, "no image tensor");
            }

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
            Best = t.GetValueOrDefault("best"),
            BestLoss = h.BestLoss,
            Average = t.GetValueOrDefault("average"),
            AverageSteps = h.AverageSteps,
            AdamStep = h.AdamStep,
            AdamFirstMoment = t.GetValueOrDefault("adam.m"),
            AdamSecondMoment = t.GetValueOrDefault("adam.v"),
            Lbfgs = lbfgs,
        };
    }

    private static Tensor ReadTensor(byte[] data, ref int offset, string path, string name)
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

            dims[d] = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(offset));
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

        float[] values = new float[count];
        Buffer.BlockCopy(data, offset, values, 0, (int)(count * 4));
        offset += (int)(count * 4);
        return tensor(values, dims, ScalarType.Float32);
    }

    private static int ReadInt32(byte[] data, ref int offset, string path)
    {
        if (data.Length - offset < 4)
        {
            throw Bad(path, offset, "truncated");
        }

        int value = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset));
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

    private static InvalidDataException Bad(string path, long offset, string what) => new($"{path}: byte {offset}: {what}");

    private sealed record Header(int CompletedIterations, double BestLoss, long AverageSteps, long AdamStep, LbfgsScalars? Lbfgs, string[] Tensors);

    private sealed record LbfgsScalars(double[] Rho, double InitialHessianScale, double StepSize, double PreviousLoss, long Iterations, long FunctionEvaluations, int Pairs);
}
