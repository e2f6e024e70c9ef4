using NeuralStyle.Weights.Onnx;
using TorchSharp;
using Xunit;
using static NeuralStyle.Tests.Onnx.OnnxTestSupport;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Onnx;

/// <summary>The evaluator's contract on small fixtures: taps, early stop, gradients, ownership, shapes.</summary>
public sealed class OnnxGraphTests
{
    [Fact]
    public void Only_the_nodes_a_tap_needs_are_evaluated()
    {
        using OnnxGraph graph = OnnxGraph.Load(Fixture("shape_ops.onnx"));
        var evaluated = new List<string>();
        graph.NodeEvaluated = n => evaluated.Add(n.Outputs[0]);
        var inputs = RandomInputs(graph.Model, 1);

        RunOurs(graph, inputs, ["transpose"]);
        Assert.Equal(["transpose"], evaluated);

        evaluated.Clear();
        RunOurs(graph, inputs, ["reshaped_by_chain", "concat_last"]);
        Assert.Equal(["r", "concat_last", "shape", "n", "c_h", "c_h_float", "c_h_int", "n1", "new_shape", "reshaped_by_chain"], evaluated);

        evaluated.Clear();
        Dictionary<string, DenseArray> direct = RunOurs(graph, inputs, ["x", "axes_unsq"]);
        Assert.Empty(evaluated);
        Assert.Equal(inputs["x"].Data.Select(f => (double)f), direct["x"].Data);
        Assert.Equal([-1.0, 1.0], direct["axes_unsq"].Data);
    }

    [Fact]
    public void Lists_nodes_values_and_their_shapes()
    {
        using OnnxGraph graph = OnnxGraph.Load(Fixture("torch_cnn.onnx"));
        Assert.Equal(graph.Nodes.SelectMany(n => n.Outputs), graph.ValueNames);
        OnnxNode conv = graph.Nodes[0];
        Assert.Equal("Conv", conv.OpType);
        Assert.Equal("/conv1/Conv", conv.Name);
        Assert.Equal(["image", "onnx::Conv_30", "onnx::Conv_31"], conv.Inputs);
        Assert.Equal([1L, 1, 1, 1], conv.Attributes["pads"].Ints);

        // The classifier only fits 11x11 images; the convolutional part takes any size.
        IReadOnlyDictionary<string, long[]> shapes = graph.InferShapes([2, 3, 19, 23], graph.ValueNames.Take(13).ToArray());
        Assert.Equal([2L, 4, 19, 23], shapes["/conv1/Conv_output_0"]);
        Assert.Equal([2L, 4, 10, 12], shapes["/pool1/MaxPool_output_0"]);
        Assert.Equal([2L], shapes["/Concat_output_0"]);
        Assert.Equal([2L, 54], shapes["/Reshape_output_0"]);
        Assert.Throws<OnnxEvaluationException>(() => graph.InferShapes([2, 3, 19, 23], ["probabilities"]));
        Assert.Equal([2L, 5], graph.InferShapes([2, 3, 11, 11], ["probabilities"])["probabilities"]);
    }

    [Fact]
    public void Gradient_flows_to_the_input_through_shape_computations()
    {
        using OnnxGraph graph = OnnxGraph.Load(Fixture("torch_cnn.onnx"));
        using var scope = NewDisposeScope();
        Tensor image = torch.tensor(Normal(3 * 11 * 11, 3), [1, 3, 11, 11]).requires_grad_();
        Tensor p = graph.Run(new Dictionary<string, Tensor> { ["image"] = image })["probabilities"];
        Assert.True(p.requires_grad);
        p.select(1, 2).sum().backward();
        Tensor grad = image.grad!;
        Assert.True(grad.isfinite().all().item<bool>());
        Assert.True(grad.abs().sum().item<float>() > 0);
        Assert.All(graph.Constants.Values, c => Assert.False(c.requires_grad));
        Assert.All(graph.Constants.Values, c => Assert.Null(c.grad));
    }

    [Fact]
    public void Graph_outlives_the_dispose_scope_it_was_built_in_and_results_belong_to_the_caller()
    {
        OnnxGraph graph;
        using (NewDisposeScope())
        {
            graph = OnnxGraph.Load(Fixture("shape_ops.onnx"));
        }

        using (graph)
        {
            var inputs = RandomInputs(graph.Model, 2);
            Dictionary<string, DenseArray> first = RunOurs(graph, inputs, ["plus_const", "identity"]);
            Dictionary<string, DenseArray> second = RunOurs(graph, inputs, ["plus_const", "identity"]);
            Assert.Equal(first["plus_const"].Data, second["plus_const"].Data);

            using Tensor x = torch.tensor(inputs["x"].Data, inputs["x"].Shape);
            IReadOnlyDictionary<string, Tensor> results = graph.Run(new Dictionary<string, Tensor> { ["x"] = x }, ["identity", "x"]);
            foreach (Tensor t in results.Values)
            {
                Assert.False(ReferenceEquals(t, x));
                t.Dispose();
            }

            Assert.Equal(inputs["x"].Data[0], x[0, 0, 0, 0].item<float>());
        }
    }

    [Fact]
    public void Opset_6_broadcast_attributes_and_per_channel_prelu()
    {
        using OnnxGraph graph = OnnxGraph.Load(Fixture("legacy_opset6.onnx"));
        var inputs = RandomInputs(graph.Model, 4);
        Dictionary<string, DenseArray> ours = RunOurs(graph, inputs, [.. graph.Outputs.Select(o => o.Name)]);
        using var scope = NewDisposeScope();
        Tensor x = torch.tensor(inputs["x"].Data, inputs["x"].Shape);
        Tensor Constant(string name) => graph.Constants[name];
        var expected = new Dictionary<string, Tensor>
        {
            ["add_axis1"] = x + Constant("b_axis1").reshape(3, 4, 1),
            ["mul_trailing"] = x * Constant("b_last"),
            ["prelu_per_channel"] = torch.where(x >= 0, x, x * Constant("slope").reshape(3, 1, 1)),
        };
        foreach ((string name, Tensor e) in expected)
        {
            AssertClose(ours[name], ToDense(e), name, 1e-6);
        }
    }

    [Fact]
    public void Baked_same_padding_is_recognised_only_where_all_axes_agree()
    {
        using OnnxGraph graph = OnnxGraph.Load(Fixture("baked_same.onnx"));
        Assert.Equal(
            ["conv_upper SAME_UPPER 15x15", "pool_lower SAME_LOWER 8x8"],
            graph.RecomputedPadding.Select(r => $"{r.Node.Name} {r.Mode} {string.Join("x", r.DeclaredInputSize)}"));
    }
}
