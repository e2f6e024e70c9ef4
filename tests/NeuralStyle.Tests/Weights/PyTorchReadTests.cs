using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.PyTorch;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>PyTorchCheckpoint.Read against files torch 1.13 saved; manifest.json holds what torch.load itself reads from each.</summary>
public sealed class PyTorchReadTests
{
    internal static string Fixture(string name) => Path.Combine(Fixtures.Root, "pytorch", name);

    private static readonly JsonElement Manifest = JsonDocument.Parse(File.ReadAllText(Fixture("manifest.json"))).RootElement;

    public static TheoryData<string> ReadableFiles() => [.. Manifest.EnumerateObject().Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(ReadableFiles))]
    public void Reads_what_torch_load_reads(string file)
    {
        IReadOnlyDictionary<string, Tensor> state = PyTorchCheckpoint.Read(Fixture(file));
        try
        {
            JsonElement[] expected = [.. Manifest.GetProperty(file).EnumerateArray()];
            Assert.Equal(expected.Select(e => e[0].GetString()), state.Keys);
            foreach (JsonElement e in expected)
            {
                Tensor t = state[e[0].GetString()!];
                Assert.Equal(e[1].EnumerateArray().Select(d => d.GetInt64()), t.shape);
                Assert.Equal(e[2].GetString(), DtypeName(t.dtype));
                Assert.True(t.is_contiguous());
                double[] values = [.. e[3].EnumerateArray().Select(v => v.GetDouble())];
                using Tensor flat = t.to(ScalarType.Float64).flatten();
                Assert.Equal(values, flat.data<double>().ToArray());
            }
        }
        finally
        {
            foreach (Tensor t in state.Values)
            {
                t.Dispose();
            }
        }
    }

    [Fact]
    public void Views_of_a_shared_storage_are_independent_copies()
    {
        IReadOnlyDictionary<string, Tensor> views = PyTorchCheckpoint.Read(Fixture("views.pth"));

        views["whole"].fill_(-1);
        Assert.Equal(new float[] { 6, 7, 8, 9, 10, 11 }, views["row"].data<float>().ToArray());
        Assert.Equal(new float[] { 2, 8, 14, 20 }, views["column"].data<float>().ToArray());
        Assert.Equal(15f, views["scalar"].item<float>());
        Assert.Equal(0, views["scalar"].dim());
        foreach (Tensor t in views.Values)
        {
            t.Dispose();
        }
    }

    [Fact]
    public void An_empty_state_dict_is_empty()
    {
        Assert.Empty(PyTorchCheckpoint.Read(Fixture("empty.pth")));
    }

    [Theory]
    [InlineData("reject_whole_module.pth", "__main__.TinyNet object (torch.save(model) saves the whole module)")]
    [InlineData("reject_list.pth", "holds a list of 2, not a state dict")]
    [InlineData("reject_mixed.pth", "entry 'epoch' is the integer 3, not a tensor")]
    [InlineData("reject_ambiguous.pth", "both 'state_dict' and 'model'")]
    [InlineData("tiny_net_input.npy", "neither a zip archive nor the legacy format")]
    public void Files_that_are_not_state_dicts_are_refused_with_the_reason(string file, string reason)
    {
        var e = Assert.Throws<PyTorchFormatException>(() => PyTorchCheckpoint.Read(Fixture(file)));

        Assert.StartsWith(Fixture(file) + ": ", e.Message);
        Assert.Contains(reason, e.Message);
    }

    internal static string DtypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        ScalarType.Int16 => "int16",
        ScalarType.Int8 => "int8",
        ScalarType.Byte => "uint8",
        ScalarType.Bool => "bool",
        _ => type.ToString(),
    };
}
