using Google.Protobuf;
using NeuralStyle.Weights.Onnx;
using NeuralStyle.Weights.Onnx.Proto;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static NeuralStyle.Tests.Onnx.OnnxTestSupport;
using static NeuralStyle.Tests.Onnx.ProtoModels;

namespace NeuralStyle.Tests.Onnx;

/// <summary>Bad files and unsupported features fail with an exception that names the file, the node and the problem.</summary>
public sealed class OnnxErrorTests(ITestOutputHelper output)
{
    [Fact]
    public void Unsupported_operator_is_rejected_when_the_graph_is_built()
    {
        string path = Fixture("unsupported_einsum.onnx");
        OnnxModel model = OnnxModel.Load(path);
        var e = Assert.Throws<OnnxUnsupportedException>(() => new OnnxGraph(model));
        output.WriteLine(e.Message);
        Assert.Equal("Einsum", e.OpType);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains("node 1 'contract' (Einsum, first output 'y')", e.Message);
        Assert.Contains("operator 'Einsum' is not supported", e.Message);
        Assert.IsAssignableFrom<OnnxFormatException>(e);
    }

    [Fact]
    public void Operator_of_another_domain_is_rejected()
    {
        NodeProto node = Node("FancyNorm", ["x"], ["y"]);
        node.Domain = "com.example";
        var e = Assert.Throws<OnnxUnsupportedException>(() => Build(Model([node]), "custom.onnx"));
        output.WriteLine(e.Message);
        Assert.Contains("custom.onnx: node 0 (com.example.FancyNorm, first output 'y')", e.Message);
        Assert.Contains("domain 'com.example'", e.Message);
    }

    [Theory]
    [InlineData("unknown attribute", "attribute 'flavour' not supported")]
    [InlineData("auto_pad", "auto_pad 'SAME_MIDDLE' is not supported")]
    [InlineData("training", "training_mode=1 is not supported")]
    [InlineData("indices", "output 1 ('indices') is not supported (max-pool indices)")]
    [InlineData("external", "keeps its data in the external file 'weights.bin'")]
    public void Unsupported_attributes_are_rejected_by_name(string variant, string expected)
    {
        var w = Floats("w", [2, 2, 1, 1], [1, 2, 3, 4]);
        (NodeProto node, TensorProto[] inits) = variant switch
        {
            "unknown attribute" => (Node("Relu", ["x"], ["y"], "r", Int("flavour", 1)), Array.Empty<TensorProto>()),
            "auto_pad" => (Node("Conv", ["x", "w"], ["y"], "c", String("auto_pad", "SAME_MIDDLE")), [w]),
            "training" => (Node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], "bn", Int("training_mode", 1)),
                [Floats("s", [2], [1, 1]), Floats("b", [2], [0, 0]), Floats("m", [2], [0, 0]), Floats("v", [2], [1, 1])]),
            "indices" => (Node("MaxPool", ["x"], ["y", "indices"], "mp", Ints("kernel_shape", 2, 2)), []),
            _ => (Node("Conv", ["x", "w"], ["y"], "c"), [ExternalWeights()]),
        };
        var e = Assert.Throws<OnnxUnsupportedException>(() => Build(Model([node], inits), "bad.onnx"));
        output.WriteLine(e.Message);
        Assert.StartsWith("bad.onnx: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Missing_initializer_is_a_format_error()
    {
        var e = Assert.Throws<OnnxFormatException>(() => Load(Model([Node("Conv", ["x", "weights"], ["y"], "conv")]), "missing.onnx"));
        output.WriteLine(e.Message);
        Assert.Equal("missing.onnx: node 0 'conv' (Conv, first output 'y') reads 'weights', which is neither a graph input, an initializer nor any node's output (missing initializer?)", e.Message);
    }

    [Theory]
    [InlineData("float_data", "initializer 'w' declares dims [2,3] (6 elements) but its float_data holds 5")]
    [InlineData("raw_data", "initializer 'w' declares dims [2,3] (6 elements) but its raw_data has 20 bytes, not 24")]
    [InlineData("huge", "initializer 'w' declares dims [4294967296,4294967296], more elements than any tensor can hold")]
    [InlineData("negative", "initializer 'w' has a negative dimension in [2,-3]")]
    public void Tensor_whose_data_does_not_match_its_dims_is_a_format_error(string variant, string expected)
    {
        TensorProto w = variant switch
        {
            "float_data" => Floats("w", [2, 3], [1, 2, 3, 4, 5]),
            "raw_data" => Raw("w", [2, 3], 20),
            "huge" => Raw("w", [1L << 32, 1L << 32], 16),
            _ => Raw("w", [2, -3], 24),
        };
        var e = Assert.Throws<OnnxFormatException>(() => Load(Model([Node("Identity", ["x"], ["y"])], [w]), "dims.onnx"));
        Assert.Equal("dims.onnx: " + expected, e.Message);
    }

    [Fact]
    public void Cycle_is_a_format_error()
    {
        var model = Model([Node("Add", ["x", "b"], ["a"], "first"), Node("Relu", ["a"], ["b"], "second"), Node("Identity", ["a"], ["y"])]);
        var e = Assert.Throws<OnnxFormatException>(() => Build(model, "cycle.onnx"));
        Assert.Contains("cycle.onnx: the graph has a cycle through node 0 'first'", e.Message);
    }

    [Fact]
    public void Files_that_are_not_onnx_are_format_errors_naming_the_file()
    {
        string[] cases = ["", "hello, world\n", "\x08\x07\x12\x04", "\x0a\xff\xff\xff\xff\x0f"];
        foreach (string text in cases)
        {
            byte[] bytes = [.. text.Select(c => (byte)c)];
            var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(new MemoryStream(bytes), "junk.onnx"));
            output.WriteLine(e.Message);
            Assert.StartsWith("junk.onnx: ", e.Message);
        }
    }

    [Fact]
    public void Every_truncation_of_a_fixture_fails_cleanly()
    {
        foreach (string file in new[] { "pad.onnx", "conv1d.onnx" })
        {
            byte[] bytes = File.ReadAllBytes(Fixture(file));
            int loaded = 0;
            for (int length = 0; length < bytes.Length; length++)
            {
                string name = $"{file}[..{length}]";
                try
                {
                    // A cut between two top-level fields can still be a well-formed (smaller) model.
                    using OnnxGraph graph = new(OnnxModel.Load(new MemoryStream(bytes, 0, length), name));
                    loaded++;
                }
                catch (OnnxFormatException e)
                {
                    Assert.StartsWith(name + ": ", e.Message);
                }
            }

            output.WriteLine($"{file}: {bytes.Length} truncations, {loaded} of them still load");
        }
    }

    [Fact]
    public void Run_time_errors_name_the_node_and_the_shapes()
    {
        using OnnxGraph graph = OnnxGraph.Load(Fixture("conv.onnx"));
        using var scope = torch.NewDisposeScope();
        var wrongChannels = new Dictionary<string, torch.Tensor> { ["x"] = torch.zeros(1, 3, 11, 13) };
        var e = Assert.Throws<OnnxEvaluationException>(() => graph.Run(wrongChannels, ["valid"]));
        output.WriteLine(e.Message);
        Assert.Contains("node 3 'conv_valid' (Conv, first output 'valid')", e.Message);
        Assert.Contains("'x' Float32 [1,3,11,13]", e.Message);

        Assert.Throws<ArgumentException>(() => graph.Run(new Dictionary<string, torch.Tensor>(), ["valid"]));
        Assert.Throws<ArgumentException>(() => graph.Run(new Dictionary<string, torch.Tensor> { ["x"] = torch.zeros(11, 13) }, ["valid"]));
        var unknownTap = Assert.Throws<ArgumentException>(() => graph.Run(new Dictionary<string, torch.Tensor> { ["x"] = torch.zeros(1, 4, 11, 13) }, ["nope"]));
        Assert.Contains("'nope' is not a value of the graph", unknownTap.Message);
    }

    private static TensorProto ExternalWeights()
    {
        var t = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        t.Dims.Add([2, 2, 1, 1]);
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "0" });
        return t;
    }
}
