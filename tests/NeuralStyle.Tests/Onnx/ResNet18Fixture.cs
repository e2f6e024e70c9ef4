using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using NeuralStyle.Weights.Onnx;
using NeuralStyle.Weights.Onnx.Proto;
using static NeuralStyle.Tests.Onnx.OnnxTestSupport;

namespace NeuralStyle.Tests.Onnx;

/// <summary>
/// ML.NET's ResNet-18 (CNTK 2.6 export, opset 8), loaded once for all ResNet tests: the importer's graph with and
/// without the "same"-padding recompute, and ONNX Runtime sessions on in-memory variants of the model.
/// </summary>
/// <remarks>
/// ONNX Runtime refuses inputs whose size differs from a static declared one, so every variant has the input's
/// height and width made symbolic, the stored intermediate shapes (value_info) dropped and the output shape
/// cleared. Each variant also exposes <see cref="MidTap"/> as an extra graph output, so that ONNX Runtime reports
/// that intermediate value too.
/// </remarks>
public sealed class ResNet18Fixture : IDisposable
{
    public const string Input = "Input247";
    public const string Output = "Pooling395_Output_0";

    public ResNet18Fixture()
    {
        Path = Model("ResNet18.onnx");
        byte[] bytes = File.ReadAllBytes(Path);
        Proto = ModelProto.Parser.ParseFrom(bytes);
        OnnxModel model = OnnxModel.Load(Path);
        Graph = new OnnxGraph(model);
        GraphExplicitPads = new OnnxGraph(model, new OnnxImportOptions { RecomputeSamePadding = false });
        // The 10th of 19 Relus, in the middle of the network (third stage, 14x14 at 224).
        MidTap = Graph.Nodes.Where(n => n.OpType == "Relu").ElementAt(9).Outputs[0];
        var recomputed = Graph.RecomputedPadding.Select(r => r.Node.Name).ToHashSet();
        OrtExplicitPads = Session(Variant(_ => null));
        OrtSameLower = Session(Variant(n => recomputed.Contains(n.Name) ? "SAME_LOWER" : null));
        OrtSameUpper = Session(Variant(n => recomputed.Contains(n.Name) ? "SAME_UPPER" : null));
    }

    public string Path { get; }

    internal ModelProto Proto { get; }

    public OnnxGraph Graph { get; }

    public OnnxGraph GraphExplicitPads { get; }

    public string MidTap { get; }

    /// <summary>The model as CNTK wrote it (explicit pads everywhere).</summary>
    public InferenceSession OrtExplicitPads { get; }

    /// <summary>The nodes the importer recognised as "same" padding switched to auto_pad SAME_LOWER.</summary>
    public InferenceSession OrtSameLower { get; }

    /// <summary>The same nodes switched to SAME_UPPER instead (the alternative the rule rejects).</summary>
    public InferenceSession OrtSameUpper { get; }

    public static Dictionary<string, (float[] Data, long[] Shape)> Image(int height, int width, int seed) =>
        new() { [Input] = (Normal(3 * height * width, seed), [1, 3, height, width]) };

    public void Dispose()
    {
        Graph.Dispose();
        GraphExplicitPads.Dispose();
        OrtExplicitPads.Dispose();
        OrtSameLower.Dispose();
        OrtSameUpper.Dispose();
    }

    private static InferenceSession Session(byte[] model)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 2 };
        return new InferenceSession(model, options);
    }

    /// <summary>A copy with symbolic spatial input dims, <see cref="MidTap"/> as an extra output, and auto_pad where <paramref name="autoPad"/> says.</summary>
    private byte[] Variant(Func<NodeProto, string?> autoPad)
    {
        ModelProto m = Proto.Clone();
        GraphProto g = m.Graph;
        TensorShapeProto shape = g.Input.Single(i => i.Name == Input).Type.TensorType.Shape;
        shape.Dim[2].DimParam = "height";
        shape.Dim[3].DimParam = "width";
        g.ValueInfo.Clear();
        foreach (ValueInfoProto o in g.Output)
        {
            o.Type.TensorType.Shape = null;
        }

        g.Output.Add(new ValueInfoProto { Name = MidTap, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        foreach (NodeProto node in g.Node)
        {
            if (autoPad(node) is { } mode)
            {
                foreach (AttributeProto a in node.Attribute.Where(a => a.Name is "pads" or "auto_pad").ToArray())
                {
                    node.Attribute.Remove(a);
                }

                node.Attribute.Add(new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(mode) });
            }
        }

        return m.ToByteArray();
    }
}
