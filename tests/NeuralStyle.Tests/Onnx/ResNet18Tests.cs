using NeuralStyle.Weights.Onnx;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static NeuralStyle.Tests.Onnx.OnnxTestSupport;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Onnx;

/// <summary>ML.NET's ResNet-18 against ONNX Runtime, at its declared 224x224 and at a size where "same" padding matters.</summary>
public sealed class ResNet18Tests(ResNet18Fixture resnet, ITestOutputHelper output) : IClassFixture<ResNet18Fixture>
{
    private string[] Taps => [ResNet18Fixture.Output, resnet.MidTap];

    [Fact]
    public void Model_is_read_as_declared()
    {
        OnnxModel model = resnet.Graph.Model;
        Assert.Equal(8, model.OpsetVersion);
        Assert.Equal("CNTK 2.6", model.Producer);
        Assert.Equal(ResNet18Fixture.Input, Assert.Single(model.Inputs).Name);
        Assert.Equal([1L, 3, 224, 224], model.Inputs[0].StaticShape!);
        Assert.Equal([1L, 512, 1, 1], Assert.Single(model.Outputs).StaticShape!);
        var ops = model.Nodes.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(22, ops["Conv"]);
        Assert.Equal(22, ops["BatchNormalization"]);
        Assert.Equal(19, ops["Relu"]);
        Assert.Equal(9, ops["Add"]);
        Assert.Equal(1, ops["MaxPool"]);
        Assert.Equal(1, ops["AveragePool"]);
    }

    [Fact]
    public void Matches_onnx_runtime_at_224()
    {
        var image = ResNet18Fixture.Image(224, 224, seed: 1);
        Compare("224x224", RunOurs(resnet.Graph, image, Taps), RunOrt(resnet.OrtExplicitPads, image, Taps));
    }

    [Fact]
    public void Matches_onnx_runtime_at_193x257_with_same_padding_recomputed()
    {
        var image = ResNet18Fixture.Image(193, 257, seed: 2);
        Dictionary<string, DenseArray> ours = RunOurs(resnet.Graph, image, Taps);
        Assert.Equal([1L, 512, 1, 3], ours[ResNet18Fixture.Output].Shape);
        Compare("193x257 (SAME_LOWER)", ours, RunOrt(resnet.OrtSameLower, image, Taps));
    }

    [Fact]
    public void Matches_onnx_runtime_at_193x257_with_explicit_pads_when_recompute_is_off()
    {
        var image = ResNet18Fixture.Image(193, 257, seed: 3);
        string[] mid = [resnet.MidTap];
        Compare("193x257 (explicit pads)", RunOurs(resnet.GraphExplicitPads, image, mid), RunOrt(resnet.OrtExplicitPads, image, mid));

        // Taken literally, CNTK's pads shrink 193 rows to 6 before the final 7x7 average pool: ONNX Runtime
        // returns an empty tensor there, the importer refuses with a message.
        DenseArray ort = RunOrt(resnet.OrtExplicitPads, image, [ResNet18Fixture.Output])[ResNet18Fixture.Output];
        output.WriteLine($"ORT output with explicit pads at 193x257: {ort.ShapeText}");
        Assert.Empty(ort.Data);
        var error = Assert.Throws<OnnxEvaluationException>(() => RunOurs(resnet.GraphExplicitPads, image, [ResNet18Fixture.Output]));
        output.WriteLine(error.Message);
        Assert.Contains("Pooling395", error.Message);
    }

    [Fact]
    public void Same_padding_rule_picks_same_lower_for_cntk_pads()
    {
        var expected = new Dictionary<string, (long[] Pads, long Size)>
        {
            ["Convolution249"] = ([3, 3, 2, 2], 224), // conv1 7x7/2
            ["Pooling255"] = ([1, 1, 0, 0], 112),     // max-pool 3x3/2
            ["Convolution285"] = ([1, 1, 0, 0], 56),  // first 3x3/2 conv of each later stage
            ["Convolution317"] = ([1, 1, 0, 0], 28),
            ["Convolution349"] = ([1, 1, 0, 0], 14),
        };
        foreach (OnnxPaddingRecompute r in resnet.Graph.RecomputedPadding)
        {
            output.WriteLine($"{r.Node} pads [{string.Join(",", r.Pads)}] at {string.Join("x", r.DeclaredInputSize)} -> {r.Mode}");
        }

        Assert.Equal(expected.Keys.Order(), resnet.Graph.RecomputedPadding.Select(r => r.Node.Name).Order());
        foreach (OnnxPaddingRecompute r in resnet.Graph.RecomputedPadding)
        {
            Assert.Equal("SAME_LOWER", r.Mode);
            Assert.Equal(expected[r.Node.Name].Pads, r.Pads);
            Assert.Equal([expected[r.Node.Name].Size, expected[r.Node.Name].Size], r.DeclaredInputSize);
        }

        Assert.Empty(resnet.GraphExplicitPads.RecomputedPadding);

        // Evidence from ONNX Runtime alone: at the declared size, CNTK's pads are exactly SAME_LOWER, not SAME_UPPER.
        var image = ResNet18Fixture.Image(224, 224, seed: 4);
        Dictionary<string, DenseArray> asWritten = RunOrt(resnet.OrtExplicitPads, image, Taps);
        Dictionary<string, DenseArray> lower = RunOrt(resnet.OrtSameLower, image, Taps);
        Dictionary<string, DenseArray> upper = RunOrt(resnet.OrtSameUpper, image, Taps);
        foreach (string tap in Taps)
        {
            (double lowerDiff, double scale) = Agreement(lower[tap], asWritten[tap], tap);
            (double upperDiff, _) = Agreement(upper[tap], asWritten[tap], tap);
            output.WriteLine($"ORT 224 {tap}: |SAME_LOWER - as written| = {lowerDiff:e2}, |SAME_UPPER - as written| = {upperDiff:e2} (scale {scale:g3})");
            Assert.Equal(0, lowerDiff);
            Assert.True(upperDiff > 0.05 * scale, $"SAME_UPPER should differ clearly from CNTK's pads ({upperDiff:g3})");
        }
    }

    [Fact]
    public void Layer_shapes_are_listed_for_any_input_size()
    {
        IReadOnlyDictionary<string, long[]> at224 = resnet.Graph.InferShapes([1, 3, 224, 224]);
        Assert.Equal(resnet.Graph.ValueNames.Count, at224.Count);
        Assert.Equal([1L, 64, 112, 112], at224["Convolution249_Output_0"]);
        Assert.Equal([1L, 64, 56, 56], at224["Pooling255_Output_0"]);
        Assert.Equal([1L, 512, 1, 1], at224[ResNet18Fixture.Output]);

        IReadOnlyDictionary<string, long[]> odd = resnet.Graph.InferShapes([1, 3, 193, 257], [resnet.MidTap, ResNet18Fixture.Output]);
        Assert.Equal([1L, 256, 13, 17], odd[resnet.MidTap]);
        Assert.Equal([1L, 512, 1, 3], odd[ResNet18Fixture.Output]);
    }

    [Fact]
    public void Gradient_reaches_the_image_and_not_the_weights()
    {
        using var scope = NewDisposeScope();
        Tensor image = torch.tensor(Normal(3 * 96 * 128, 5), [1, 3, 96, 128]).requires_grad_();
        Tensor mid = resnet.Graph.Run(new Dictionary<string, Tensor> { [ResNet18Fixture.Input] = image }, [resnet.MidTap])[resnet.MidTap];
        mid.square().mean().backward();

        Tensor grad = image.grad ?? throw new Xunit.Sdk.XunitException("no gradient on the image");
        Assert.True(grad.isfinite().all().item<bool>());
        Assert.True(grad.abs().max().item<float>() > 0);
        foreach (Tensor weight in resnet.Graph.Constants.Values)
        {
            Assert.False(weight.requires_grad);
            Assert.Null(weight.grad);
        }
    }

    [Fact]
    public void Evaluation_stops_after_the_last_needed_node()
    {
        var evaluated = new List<OnnxNode>();
        resnet.Graph.NodeEvaluated = evaluated.Add;
        try
        {
            var image = ResNet18Fixture.Image(64, 64, seed: 6);
            RunOurs(resnet.Graph, image, ["ReLU253_Output_0"]);
            Assert.Equal(["Conv", "BatchNormalization", "Relu"], evaluated.Select(n => n.OpType));

            evaluated.Clear();
            RunOurs(resnet.Graph, image, [resnet.MidTap]);
            Assert.Equal(resnet.MidTap, evaluated[^1].Outputs[0]);
            Assert.Equal(Ancestors(resnet.Graph.Model, resnet.MidTap).Order(), evaluated.Select(n => n.Index).Order());
            Assert.True(evaluated.Count < resnet.Graph.Nodes.Count - 20, $"{evaluated.Count} of {resnet.Graph.Nodes.Count} nodes ran");
        }
        finally
        {
            resnet.Graph.NodeEvaluated = null;
        }
    }

    [Fact]
    public void Preprocessing_model_matches_onnx_runtime()
    {
        string path = Model("ResNetPreprocess.onnx");
        using OnnxGraph graph = OnnxGraph.Load(path);
        Assert.Equal(["Split", "Concat", "Sub"], graph.Nodes.Select(n => n.OpType));
        var inputs = RandomInputs(graph.Model, seed: 7);
        string[] outputs = [graph.Outputs[0].Name];
        Compare("preprocess", RunOurs(graph, inputs, outputs), RunOrt(File.ReadAllBytes(path), inputs, outputs));
    }

    /// <summary>The nodes a value depends on, found by walking the file's node list backwards.</summary>
    private static HashSet<int> Ancestors(OnnxModel model, string value)
    {
        var wanted = new HashSet<string> { value };
        var nodes = new HashSet<int>();
        foreach (OnnxNode node in model.Nodes.Reverse())
        {
            if (node.Outputs.Any(wanted.Contains))
            {
                nodes.Add(node.Index);
                wanted.UnionWith(node.Inputs);
            }
        }

        return nodes;
    }

    private void Compare(string what, Dictionary<string, DenseArray> ours, Dictionary<string, DenseArray> ort)
    {
        foreach (string tap in ours.Keys)
        {
            (double diff, double relative) = AssertClose(ours[tap], ort[tap], $"{what} {tap}");
            output.WriteLine($"{what} {tap} {ours[tap].ShapeText}: max abs diff {diff:e2}, relative to max |ORT| {relative:e2}");
        }
    }
}
