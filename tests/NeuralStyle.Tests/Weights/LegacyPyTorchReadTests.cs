using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Tests.Zoo;
using NeuralStyle.Weights.PyTorch;
using NeuralStyle.Zoo;
using Xunit;
using Xunit.Abstractions;
using static NeuralStyle.Tests.Weights.PyTorchReadTests;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>PyTorchCheckpoint.Read against legacy torch.save files (make_legacy_pth.py); legacy/manifest.json holds what torch.load reads from each.</summary>
public sealed class LegacyPyTorchReadTests(ITestOutputHelper output)
{
    internal static string Legacy(string name) => Path.Combine(Fixtures.Root, "pytorch", "legacy", name);

    private static readonly JsonElement Manifest = JsonDocument.Parse(File.ReadAllText(Legacy("manifest.json"))).RootElement;

    public static TheoryData<string> ReadableFiles() => [.. Manifest.EnumerateObject().Select(p => p.Name)];

    public static TheoryData<string> FilesWithAZipTwin() =>
        [.. Manifest.EnumerateObject().Where(p => p.Value.GetProperty("same_as").ValueKind == JsonValueKind.String).Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(ReadableFiles))]
    public void Reads_what_torch_load_reads(string file)
    {
        using var state = new StateDict(PyTorchCheckpoint.Read(Legacy(file)));
        JsonElement[] expected = [.. Manifest.GetProperty(file).GetProperty("tensors").EnumerateArray()];
        Assert.Equal(expected.Select(e => e[0].GetString()), state.Tensors.Keys);
        foreach (JsonElement e in expected)
        {
            Tensor t = state.Tensors[e[0].GetString()!];
            Assert.Equal(e[1].EnumerateArray().Select(d => d.GetInt64()), t.shape);
            Assert.Equal(e[2].GetString(), DtypeName(t.dtype));
            Assert.True(t.is_contiguous());
            if (e.GetArrayLength() > 3)
            {
                double[] values = [.. e[3].EnumerateArray().Select(v => v.GetDouble())];
                using Tensor flat = t.to(ScalarType.Float64).flatten();
                Assert.Equal(values, flat.data<double>().ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(FilesWithAZipTwin))]
    public void A_legacy_file_and_its_zip_twin_give_identical_tensors(string file)
    {
        string twin = Path.Combine([Fixtures.Root, .. Manifest.GetProperty(file).GetProperty("same_as").GetString()!.Split('/')]);
        using var legacy = new StateDict(PyTorchCheckpoint.Read(Legacy(file)));
        using var zip = new StateDict(PyTorchCheckpoint.Read(twin));

        Assert.Equal(zip.Tensors.Keys, legacy.Tensors.Keys);
        Assert.NotEmpty(legacy.Tensors);
        foreach ((string key, Tensor z) in zip.Tensors)
        {
            Tensor l = legacy.Tensors[key];
            Assert.Equal(z.dtype, l.dtype);
            Assert.Equal(z.shape, l.shape);
            // Bit for bit: the same bytes, whatever the dtype (NaN-safe, unlike equal on values).
            Assert.True(z.bytes.SequenceEqual(l.bytes), $"'{key}' differs between {file} and {twin}");
        }
    }

    [Fact]
    public void Views_of_a_shared_storage_are_independent_copies()
    {
        using var views = new StateDict(PyTorchCheckpoint.Read(Legacy("views.pth")));

        views.Tensors["whole"].fill_(-1);
        Assert.Equal(new float[] { 6, 7, 8, 9, 10, 11 }, views.Tensors["row"].data<float>().ToArray());
        Assert.Equal(new float[] { 2, 8, 14, 20 }, views.Tensors["column"].data<float>().ToArray());
        using Tensor transposedRow = views.Tensors["transposed"][2];
        Assert.Equal(new long[] { 6, 4 }, views.Tensors["transposed"].shape);
        Assert.Equal(new float[] { 2, 8, 14, 20 }, transposedRow.data<float>().ToArray());
        Assert.Equal(15f, views.Tensors["scalar"].item<float>());
    }

    [Fact]
    public void A_nested_checkpoint_gives_its_state_dict()
    {
        using var nested = new StateDict(PyTorchCheckpoint.Read(Legacy("nested_state_dict.pth")));
        using var plain = new StateDict(PyTorchCheckpoint.Read(Legacy("tiny_net.pth")));

        // 'epoch', 'miou' and 'optimizer' (with tensors of its own) are beside the state dict, not in it.
        Assert.Equal(plain.Tensors.Keys, nested.Tensors.Keys);
        Assert.Contains("bn.num_batches_tracked", nested.Tensors.Keys);
    }

    [Fact]
    public void A_zoo_model_loads_from_a_legacy_file_and_computes_pytorchs_output()
    {
        using ZooModel model = ModelZoo.Create("lenet5-modern");
        PyTorchCheckpoint.LoadInto(model, Legacy("lenet5_modern.pth"), strict: true);
        using var noGrad = no_grad();
        using Tensor input = ClassicZooChecks.ReadNpy("lenet", "lenet5-modern", "input.npy");
        using Tensor expected = ClassicZooChecks.ReadNpy("lenet", "lenet5-modern", "output.npy");
        using Tensor actual = model.call(input);

        (double maxAbs, double relative) = ClassicZooChecks.Difference(actual, expected);
        output.WriteLine($"lenet5-modern from the legacy file vs PyTorch: max abs diff {maxAbs:G3}, relative {relative:G3}");
        Assert.True(relative < 1e-5, $"relative difference {relative}");
    }

    /// <summary>A state dict's tensors, disposed together.</summary>
    private sealed class StateDict(IReadOnlyDictionary<string, Tensor> tensors) : IDisposable
    {
        public IReadOnlyDictionary<string, Tensor> Tensors { get; } = tensors;

        public void Dispose()
        {
            foreach (Tensor t in Tensors.Values)
            {
                t.Dispose();
            }
        }
    }
}
