using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.SafeTensors;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>SafeTensorsFile against a file written from the format's specification by tests/fixture-scripts/make_safetensors_fixtures.py.</summary>
public sealed class SafeTensorsReadTests
{
    internal static string Fixture(string name) => Path.Combine(Fixtures.Root, "safetensors", name);

    internal sealed record Expected(string Name, string Dtype, long[] Shape, double[] Values);

    internal static (Expected[] Tensors, Dictionary<string, string> Metadata) LoadExpected()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Fixture("expected.json")));
        Expected[] tensors = [.. doc.RootElement.GetProperty("tensors").EnumerateArray().Select(t => new Expected(
            t.GetProperty("name").GetString()!,
            t.GetProperty("dtype").GetString()!,
            [.. t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())],
            [.. t.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())]))];
        var metadata = doc.RootElement.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        return (tensors, metadata);
    }

    private static readonly Dictionary<string, ScalarType> Types = new()
    {
        ["F32"] = ScalarType.Float32,
        ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16,
        ["F64"] = ScalarType.Float64,
        ["I64"] = ScalarType.Int64,
        ["I32"] = ScalarType.Int32,
        ["U8"] = ScalarType.Byte,
        ["BOOL"] = ScalarType.Bool,
    };

    [Fact]
    public void Every_tensor_reads_with_its_dtype_shape_and_exact_values_in_header_order()
    {
        (Expected[] expected, _) = LoadExpected();
        Assert.Contains(expected, e => e.Dtype == "BF16");
        Assert.Contains(expected, e => e.Dtype == "F16");

        IReadOnlyDictionary<string, Tensor> read = SafeTensorsFile.Read(Fixture("mixed.safetensors"));
        try
        {
            Assert.Equal(expected.Select(e => e.Name), read.Keys);
            foreach (Expected e in expected)
            {
                Tensor t = read[e.Name];
                Assert.Equal(Types[e.Dtype], t.dtype);
                Assert.Equal(e.Shape, t.shape);
                using Tensor asDouble = t.to(ScalarType.Float64).flatten();
                // F16 and BF16 values are exact in float64; a byte-order or layout slip changes them.
                Assert.Equal(e.Values, asDouble.data<double>().ToArray());
            }
        }
        finally
        {
            foreach (Tensor t in read.Values)
            {
                t.Dispose();
            }
        }
    }

    [Fact]
    public void The_header_alone_gives_names_dtypes_shapes_offsets_and_metadata()
    {
        (Expected[] expected, Dictionary<string, string> metadata) = LoadExpected();

        SafeTensorsHeader header = SafeTensorsFile.ReadHeader(Fixture("mixed.safetensors"));

        Assert.Equal(metadata, header.Metadata);
        Assert.Equal(expected.Select(e => (e.Name, e.Dtype)), header.Entries.Select(e => (e.Name, e.Dtype.Name)));
        Assert.Equal(expected.Select(e => e.Shape), header.Entries.Select(e => e.Shape));
        Assert.Equal(0, header.DataStart % 8);
        Assert.Equal(new FileInfo(Fixture("mixed.safetensors")).Length, header.DataStart + header.DataLength);
        Assert.Equal(header.DataLength, header.Entries.Sum(e => e.ByteLength));
    }

    [Fact]
    public void A_selection_reads_only_the_named_tensors()
    {
        IReadOnlyDictionary<string, Tensor> read = SafeTensorsFile.Read(Fixture("mixed.safetensors"), name => name.StartsWith("conv.", StringComparison.Ordinal));
        try
        {
            Assert.Equal(["conv.bias", "conv.weight"], read.Keys);
        }
        finally
        {
            foreach (Tensor t in read.Values)
            {
                t.Dispose();
            }
        }
    }

    [Fact]
    public void Half_precision_weights_copy_into_a_float32_module_tensor_as_a_state_dict_load_does()
    {
        (Expected[] expected, _) = LoadExpected();
        Expected half = expected.Single(e => e.Name == "bf16.weight");
        IReadOnlyDictionary<string, Tensor> read = SafeTensorsFile.Read(Fixture("mixed.safetensors"), name => name == half.Name);
        using Tensor source = read[half.Name];
        using Tensor destination = zeros(half.Shape, ScalarType.Float32);

        destination.copy_(source);

        Assert.Equal(half.Values.Select(v => (float)v), destination.flatten().data<float>().ToArray());
    }
}
