using System.Diagnostics;
using CsCheck;
using Google.Protobuf;
using NeuralStyle.Weights.Onnx;
using NeuralStyle.Weights.Onnx.Proto;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static NeuralStyle.Tests.Onnx.OnnxTestSupport;

namespace NeuralStyle.Tests.Onnx;

/// <summary>
/// Small fixtures corrupted at random. Byte-level: truncation, overwritten and inserted bytes; loading and building
/// the graph must succeed or throw <see cref="OnnxFormatException"/>, quickly. Field-level: an integer attribute,
/// an initializer dimension or a declared input dimension set to an extreme value; then running the graph may
/// also fail, but only with <see cref="OnnxEvaluationException"/>, never by crashing or exhausting memory.
/// </summary>
public sealed class OnnxCorruptionTests(ITestOutputHelper output)
{
    private const int Iterations = 5000;

    private static readonly string[] Files = ["conv.onnx", "baked_same.onnx", "shape_ops.onnx", "pad.onnx"];

    private static readonly byte[][] Seeds = [.. Files.Select(f => File.ReadAllBytes(Fixture(f)))];

    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x08, 0x0A, 0x12, 0x3A];

    /// <summary>Kind 0 truncates at Position, 1 overwrites with Value, 2 writes an "interesting" byte, 3 inserts a byte.</summary>
    private readonly record struct Mutation(int Kind, uint Position, byte Value);

    private static readonly Gen<Mutation> GenMutation =
        Gen.Select(Gen.Int[0, 3], Gen.UInt, Gen.Byte, (kind, position, value) => new Mutation(kind, position, value));

    private static readonly Gen<(int Seed, Mutation[] Mutations)> GenCase = Gen.Select(Gen.Int[0, Seeds.Length - 1], GenMutation.Array[1, 3]);

    [Fact]
    public async Task Corrupted_fixtures_load_or_throw_a_format_exception()
    {
        int loaded = 0, rejected = 0;
        var slowest = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        Task run = Task.Run(() => GenCase.Sample((seed, mutations) =>
        {
            byte[] data = Apply(Seeds[seed], mutations);
            string name = $"{Files[seed]}~{string.Join(",", mutations)}";
            var one = Stopwatch.StartNew();
            try
            {
                using var graph = new OnnxGraph(OnnxModel.Load(new MemoryStream(data), name));
                Interlocked.Increment(ref loaded);
            }
            catch (OnnxFormatException e)
            {
                Assert.StartsWith(name + ": ", e.Message);
                Interlocked.Increment(ref rejected);
            }

            if (one.Elapsed > slowest)
            {
                slowest = one.Elapsed;
            }
        }, iter: Iterations, threads: 1));
        Task finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(finished == run, "the corruption run did not finish within a minute: some case hangs");
        await run;

        output.WriteLine($"{loaded} loaded, {rejected} rejected in {clock.Elapsed.TotalSeconds:0.0} s; slowest case {slowest.TotalMilliseconds:0} ms");
        Assert.Equal(Iterations, loaded + rejected);
        Assert.True(rejected > Iterations / 4, "too few corruptions reached the reader's checks");
        Assert.True(slowest < TimeSpan.FromSeconds(5), $"a single case took {slowest}");
    }

    private static readonly long[] Extremes = [0, 1, 2, 3, -1, -2, 7, 64, 4097, 65536, 65537, 1L << 31, 1L << 40, long.MaxValue, long.MinValue];

    private static readonly string[] FieldFiles = ["conv.onnx", "conv1d.onnx", "pool.onnx", "baked_same.onnx", "shape_ops.onnx", "pad.onnx", "normalization.onnx"];

    private static readonly ModelProto[] FieldSeeds = [.. FieldFiles.Select(f => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Fixture(f))))];

    [Fact]
    public void Extreme_field_values_are_rejected_or_evaluated_safely()
    {
        const int iterations = 1000;
        // A native crash takes the test host down without a report; with this set, the last line names the case.
        string? log = Environment.GetEnvironmentVariable("ONNX_FUZZ_LOG");
        int built = 0, ran = 0, rejected = 0, failedRun = 0;
        var slowest = (Time: TimeSpan.Zero, Name: string.Empty);
        Gen<long> values = Gen.OneOf(Gen.Int[0, Extremes.Length - 1].Select(i => Extremes[i]), Gen.Long[-300, 300]);
        Gen.Select(Gen.Int[0, FieldSeeds.Length - 1], Gen.Int[0, int.MaxValue], values).Sample((seed, slot, value) =>
        {
            ModelProto model = FieldSeeds[seed].Clone();
            string name = $"{FieldFiles[seed]}~{Mutate(model, slot, value)}={value}";
            if (log is not null)
            {
                File.AppendAllText(log, name + "\n");
            }

            var clock = Stopwatch.StartNew();
            switch (LoadAndRun(model.ToByteArray(), name))
            {
                case Outcome.Rejected: rejected++; break;
                case Outcome.Ran: built++; ran++; break;
                case Outcome.FailedToRun: built++; failedRun++; break;
                default: built++; break;
            }

            if (clock.Elapsed > slowest.Time)
            {
                slowest = (clock.Elapsed, name);
            }
        }, iter: iterations, threads: 1);

        output.WriteLine($"{rejected} rejected, {built} built ({ran} ran, {failedRun} failed to run); slowest {slowest.Time.TotalMilliseconds:0} ms: {slowest.Name}");
        Assert.Equal(iterations, rejected + built);
        Assert.True(slowest.Time < TimeSpan.FromSeconds(5), $"a single case took {slowest.Time}: {slowest.Name}");
    }

    private enum Outcome
    {
        Rejected,
        Ran,
        FailedToRun,
        NotRun,
    }

    /// <summary>Builds the graph and, for declared inputs of at most 64 per axis, runs it once on zeros.</summary>
    private static Outcome LoadAndRun(byte[] bytes, string name)
    {
        OnnxGraph graph;
        try
        {
            graph = new OnnxGraph(OnnxModel.Load(new MemoryStream(bytes), name));
        }
        catch (OnnxFormatException e)
        {
            Assert.StartsWith(name + ": ", e.Message);
            return Outcome.Rejected;
        }

        using (graph)
        {
            var shapes = graph.Inputs.ToDictionary(i => i.Name, i => (i.Shape ?? []).Select(d => d ?? 1).ToArray());
            if (!shapes.Values.All(s => s.All(d => d <= 64)))
            {
                return Outcome.NotRun;
            }

            try
            {
                graph.InferShapes(shapes, [.. graph.Outputs.Select(o => o.Name)]);
                return Outcome.Ran;
            }
            catch (OnnxEvaluationException)
            {
                return Outcome.FailedToRun;
            }
        }
    }

    /// <summary>Sets one integer field, chosen by <paramref name="slot"/>, to <paramref name="value"/>; returns which.</summary>
    private static string Mutate(ModelProto model, int slot, long value)
    {
        var setters = new List<(string Where, Action<long> Set)>();
        GraphProto g = model.Graph;
        foreach (NodeProto node in g.Node)
        {
            foreach (AttributeProto a in node.Attribute)
            {
                if (a.Type == AttributeProto.Types.AttributeType.Int)
                {
                    setters.Add(($"{node.Name}/{node.Output[0]}.{a.Name}", v => a.I = v));
                }

                for (int i = 0; i < a.Ints.Count; i++)
                {
                    int k = i;
                    setters.Add(($"{node.Output[0]}.{a.Name}[{k}]", v => a.Ints[k] = v));
                }
            }
        }

        foreach (TensorProto t in g.Initializer)
        {
            for (int i = 0; i < t.Dims.Count; i++)
            {
                int k = i;
                setters.Add(($"{t.Name}.dims[{k}]", v => t.Dims[k] = v));
            }

            // Integer initializers are shapes, axes and pads: their values matter as much as attributes.
            for (int i = 0; i < t.Int64Data.Count; i++)
            {
                int k = i;
                setters.Add(($"{t.Name}[{k}]", v => t.Int64Data[k] = v));
            }
        }

        foreach (ValueInfoProto input in g.Input)
        {
            for (int i = 0; i < input.Type.TensorType.Shape.Dim.Count; i++)
            {
                int k = i;
                setters.Add(($"{input.Name}.shape[{k}]", v => input.Type.TensorType.Shape.Dim[k].DimValue = v));
            }
        }

        (string where, Action<long> set) = setters[slot % setters.Count];
        set(value);
        return where;
    }

    private static byte[] Apply(byte[] seed, Mutation[] mutations)
    {
        var data = new List<byte>(seed);
        foreach (Mutation m in mutations)
        {
            if (data.Count == 0)
            {
                break;
            }

            int at = (int)(m.Position % (uint)data.Count);
            switch (m.Kind)
            {
                case 0:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 1:
                    data[at] = m.Value;
                    break;
                case 2:
                    data[at] = Interesting[m.Value % Interesting.Length];
                    break;
                default:
                    data.Insert(at, m.Value);
                    break;
            }
        }

        return [.. data];
    }
}
