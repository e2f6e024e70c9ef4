using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Caffe;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>CaffeModelFile against the V1 and V2 files written by tests/fixture-scripts/make_caffemodel_fixtures.py.</summary>
public sealed class CaffeReadTests
{
    internal static string Fixture(string name) => Path.Combine(Fixtures.Root, "caffe", name);

    private static JsonElement Expected(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Fixture("expected.json")));
        return doc.RootElement.GetProperty(file).Clone();
    }

    private static string[] Strings(JsonElement e) => [.. e.EnumerateArray().Select(s => s.GetString()!)];

    [Theory]
    [InlineData("tiny-v1.caffemodel")]
    [InlineData("tiny-v2.caffemodel")]
    public void Every_layer_reads_with_its_type_connections_shapes_and_exact_values(string file)
    {
        JsonElement expected = Expected(file);
        using CaffeModel model = CaffeModelFile.Read(Fixture(file));

        Assert.Equal(expected.GetProperty("name").GetString(), model.Name);
        JsonElement[] layers = [.. expected.GetProperty("layers").EnumerateArray()];
        Assert.Equal(layers.Select(l => l.GetProperty("name").GetString()), model.Layers.Select(l => l.Name));
        for (int i = 0; i < layers.Length; i++)
        {
            CaffeLayer layer = model.Layers[i];
            Assert.Equal(layers[i].GetProperty("type").GetString(), layer.Type);
            Assert.Equal(Strings(layers[i].GetProperty("bottoms")), layer.Bottoms);
            Assert.Equal(Strings(layers[i].GetProperty("tops")), layer.Tops);
            JsonElement[] blobs = [.. layers[i].GetProperty("blobs").EnumerateArray()];
            Assert.Equal(blobs.Length, layer.Blobs.Count);
            for (int b = 0; b < blobs.Length; b++)
            {
                long[] shape = [.. blobs[b].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
                float[] values = [.. blobs[b].GetProperty("data").EnumerateArray().Select(v => (float)v.GetDouble())];
                Assert.Equal(shape, layer.Blobs[b].Shape);
                Assert.Equal(shape, layer.Blobs[b].Data.shape);
                Assert.Equal(ScalarType.Float32, layer.Blobs[b].Data.dtype);
                Assert.Equal(values, layer.Blobs[b].Data.data<float>().ToArray());
            }
        }
    }

    [Fact]
    public void V1_layers_carry_legacy_4d_shapes_and_their_types_are_translated_from_the_enum()
    {
        using CaffeModel model = CaffeModelFile.Read(Fixture("tiny-v1.caffemodel"));
        Assert.Equal(["Convolution", "ReLU", "Convolution", "ReLU", "Pooling", "InnerProduct"], model.Layers.Select(l => l.Type));
        CaffeLayer fc6 = model.Layers[^1];
        Assert.Equal([1L, 1, 5, 16], fc6.Blobs[0].Shape);
        Assert.Equal([1L, 1, 1, 5], fc6.Blobs[1].Shape);
    }

    [Fact]
    public void Skipped_fields_leave_no_trace_the_V0_layer_blob_inside_a_V1_layer_included()
    {
        // conv1_1 of the V1 file holds a V0 layer (field 1) with a 6-value blob 0..5, conv params, blobs_lr,
        // and relu1_1 an unknown varint, fixed64 and group; only the two real blobs may come out.
        using CaffeModel model = CaffeModelFile.Read(Fixture("tiny-v1.caffemodel"));
        CaffeLayer conv = model.Layers[0];
        Assert.Equal("conv1_1", conv.Name);
        Assert.Equal(2, conv.Blobs.Count);
        Assert.Equal([4L, 3, 3, 3], conv.Blobs[0].Shape);
        Assert.Empty(model.Layers[1].Blobs);
        Assert.Equal(["data"], conv.Bottoms);
    }

    [Fact]
    public void Both_versions_give_the_same_state_dict_with_pytorch_shapes()
    {
        using CaffeModel v1 = CaffeModelFile.Read(Fixture("tiny-v1.caffemodel"));
        using CaffeModel v2 = CaffeModelFile.Read(Fixture("tiny-v2.caffemodel"));
        IReadOnlyDictionary<string, Tensor> a = v1.StateDict();
        IReadOnlyDictionary<string, Tensor> b = v2.StateDict();
        try
        {
            string[] keys = ["conv1_1.weight", "conv1_1.bias", "conv1_2.weight", "conv1_2.bias", "fc6.weight", "fc6.bias"];
            Assert.Equal(keys, a.Keys);
            Assert.Equal(keys, b.Keys);
            Assert.Equal([4L, 3, 3, 3], a["conv1_1.weight"].shape);
            Assert.Equal([4L], a["conv1_1.bias"].shape);
            Assert.Equal([5L, 16], a["fc6.weight"].shape);
            Assert.Equal([5L], a["fc6.bias"].shape);
            foreach (string key in keys)
            {
                Assert.Equal(a[key].shape, b[key].shape);
                Assert.Equal(a[key].data<float>().ToArray(), b[key].data<float>().ToArray());
            }
        }
        finally
        {
            foreach (Tensor t in a.Values.Concat(b.Values))
            {
                t.Dispose();
            }
        }
    }
}
