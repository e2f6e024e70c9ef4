using NeuralStyle.Weights.Onnx;
using Xunit;
using Xunit.Abstractions;
using static NeuralStyle.Tests.Onnx.OnnxTestSupport;

namespace NeuralStyle.Tests.Onnx;

/// <summary>
/// Every small fixture (made by tests/fixture-scripts/make_onnx_fixtures.py) is run on the same random input by
/// ONNX Runtime and by the importer; all graph outputs must agree to 1e-4 of their scale (1e-5 absolute floor).
/// </summary>
public sealed class OnnxFixtureTests(ITestOutputHelper output)
{
    private static readonly string[] Files =
    [
        "conv.onnx", "conv1d.onnx", "conv_transpose.onnx", "pool.onnx", "normalization.onnx", "activations.onnx",
        "legacy_opset8.onnx", "shape_ops.onnx", "elementwise.onnx", "gemm_matmul.onnx", "pad.onnx", "torch_cnn.onnx",
        "baked_same.onnx",
    ];

    public static TheoryData<string> Fixtures => new(Files);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_outputs_match_onnx_runtime(string file)
    {
        string path = Fixture(file);
        using OnnxGraph graph = OnnxGraph.Load(path);
        var inputs = RandomInputs(graph.Model, seed: 11);
        string[] outputs = [.. graph.Outputs.Select(o => o.Name)];
        Dictionary<string, DenseArray> expected = RunOrt(File.ReadAllBytes(path), inputs, outputs);
        Dictionary<string, DenseArray> actual = RunOurs(graph, inputs, outputs);
        foreach (string name in outputs)
        {
            (double diff, double relative) = AssertClose(actual[name], expected[name], $"{file} '{name}'");
            output.WriteLine($"{name,-28} {actual[name].ShapeText,-18} max abs diff {diff:e2}  relative {relative:e2}");
        }
    }

    [Fact]
    public void Fixtures_cover_every_supported_operator()
    {
        var used = new HashSet<string>();
        foreach (string file in Files)
        {
            used.UnionWith(OnnxModel.Load(Fixture(file)).Nodes.Select(n => n.OpType));
        }

        string[] missing = [.. NeuralStyle.Weights.Onnx.Operators.OnnxOperatorRegistry.Supported.Where(op => !used.Contains(op))];
        Assert.True(missing.Length == 0, $"operators without an ONNX Runtime comparison: {string.Join(", ", missing)}");
    }
}
