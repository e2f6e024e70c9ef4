using Google.Protobuf;
using NeuralStyle.Weights.Onnx;
using NeuralStyle.Weights.Onnx.Proto;

namespace NeuralStyle.Tests.Onnx;

/// <summary>Small models built in memory with the importer's protobuf classes, for error cases no exporter writes.</summary>
internal static class ProtoModels
{
    public static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }

    public static NodeProto Node(string op, string[] inputs, string[] outputs, string name = "", params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        return node;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.Add(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static TensorProto Floats(string name, long[] dims, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.Add(dims);
        t.FloatData.Add(values);
        return t;
    }

    public static TensorProto Raw(string name, long[] dims, int bytes)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(new byte[bytes]) };
        t.Dims.Add(dims);
        return t;
    }

    /// <summary>A model of the given nodes, input x [1,2,5,5] and output y, with the given initializers.</summary>
    public static ModelProto Model(IEnumerable<NodeProto> nodes, IEnumerable<TensorProto>? initializers = null, long opset = 13)
    {
        var graph = new GraphProto { Name = "test" };
        graph.Node.Add(nodes);
        graph.Initializer.Add(initializers ?? []);
        graph.Input.Add(Value("x", 1, 2, 5, 5));
        graph.Output.Add(new ValueInfoProto { Name = "y", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });
        var model = new ModelProto { IrVersion = 7, Graph = graph, ProducerName = "test" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    public static OnnxModel Load(ModelProto model, string name) => OnnxModel.Load(new MemoryStream(model.ToByteArray()), name);

    public static OnnxGraph Build(ModelProto model, string name) => new(Load(model, name));
}
