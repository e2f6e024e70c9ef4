using Google.Protobuf;
using NeuralStyle.Weights.Onnx.Proto;

namespace NeuralStyle.Weights.Onnx;

/// <summary>Decodes the protobuf form of a model into <see cref="OnnxModel"/> and checks its structure.</summary>
internal static class OnnxModelReader
{
    /// <summary>Parses <paramref name="bytes"/> (the whole file) as a ModelProto.</summary>
    public static ModelProto Parse(byte[] bytes, string sourceName)
    {
        try
        {
            // Parsing from a byte array bounds every length prefix by the data actually present, so a corrupt
            // length can neither allocate more than the file's size nor read past its end.
            return ModelProto.Parser.ParseFrom(bytes);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or ArgumentException or InvalidOperationException)
        {
            throw new OnnxFormatException(sourceName, $"not a valid ONNX model file ({bytes.Length} bytes): protobuf decoding failed: {ex.Message}", ex);
        }
    }

    /// <summary>Parses and converts a whole model file.</summary>
    public static OnnxModel Read(byte[] bytes, string sourceName)
    {
        OnnxModel model = Convert(Parse(bytes, sourceName), sourceName);
        model.SerializedBytes = bytes.LongLength;
        return model;
    }

    /// <summary>Converts a parsed model, decoding every tensor and checking that the graph is well formed.</summary>
    public static OnnxModel Convert(ModelProto proto, string sourceName)
    {
        GraphProto graph = proto.Graph
            ?? throw new OnnxFormatException(sourceName, "not an ONNX model: it contains no graph");
        Dictionary<string, long> opsets = ReadOpsets(proto, sourceName);

        var initializers = new Dictionary<string, OnnxTensorData>(StringComparer.Ordinal);
        foreach (TensorProto t in graph.Initializer)
        {
            if (string.IsNullOrEmpty(t.Name))
            {
                throw new OnnxFormatException(sourceName, "an initializer has no name");
            }

            if (!initializers.TryAdd(t.Name, OnnxTensorDecoder.Decode(t, sourceName, $"initializer '{t.Name}'")))
            {
                throw new OnnxFormatException(sourceName, $"initializer '{t.Name}' is defined twice");
            }
        }

        // Before IR version 4 every initializer is also listed as a graph input; only the rest are real inputs.
        var inputs = graph.Input.Where(i => !initializers.ContainsKey(i.Name)).Select(ToValueInfo).ToList();
        var outputs = graph.Output.Select(ToValueInfo).ToList();
        var nodes = new List<OnnxNode>(graph.Node.Count);
        for (int i = 0; i < graph.Node.Count; i++)
        {
            nodes.Add(ToNode(graph.Node[i], i, sourceName));
        }

        CheckStructure(sourceName, inputs, outputs, initializers, nodes);
        string producer = string.Join(" ", new[] { proto.ProducerName, proto.ProducerVersion }.Where(s => s.Length > 0));
        return new OnnxModel(sourceName, proto.IrVersion, producer, opsets, inputs, outputs, initializers, nodes);
    }

    private static Dictionary<string, long> ReadOpsets(ModelProto proto, string sourceName)
    {
        var opsets = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (OperatorSetIdProto o in proto.OpsetImport)
        {
            string domain = o.Domain == "ai.onnx" ? string.Empty : o.Domain;
            opsets[domain] = o.Version;
        }

        if (!opsets.TryGetValue(string.Empty, out long version))
        {
            throw new OnnxFormatException(sourceName, "the model imports no operator set for the default ONNX domain");
        }

        if (version < 1)
        {
            throw new OnnxFormatException(sourceName, $"the model imports ONNX operator set version {version}");
        }

        return opsets;
    }

    private static OnnxValueInfo ToValueInfo(ValueInfoProto v)
    {
        TypeProto.Types.Tensor? tensor = v.Type?.TensorType;
        IReadOnlyList<long?>? shape = tensor?.Shape?.Dim
            .Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue >= 0 ? d.DimValue : (long?)null)
            .ToArray();
        return new OnnxValueInfo(v.Name, (OnnxDataType)(tensor?.ElemType ?? 0), shape);
    }

    private static OnnxNode ToNode(NodeProto n, int index, string sourceName)
    {
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        var node = new OnnxNode(index, n.Name, n.OpType, n.Domain, n.Input.ToArray(), n.Output.ToArray(), attributes);
        if (string.IsNullOrEmpty(n.OpType))
        {
            throw new OnnxFormatException(sourceName, $"{node} has no operator type");
        }

        foreach (AttributeProto a in n.Attribute)
        {
            if (!attributes.TryAdd(a.Name, ToAttribute(a, $"attribute '{a.Name}' of {node}", sourceName)))
            {
                throw new OnnxFormatException(sourceName, $"{node} has attribute '{a.Name}' twice");
            }
        }

        return node;
    }

    private static OnnxAttribute ToAttribute(AttributeProto a, string what, string sourceName)
    {
        OnnxAttributeType type = a.HasType ? (OnnxAttributeType)a.Type : InferType(a);
        return new OnnxAttribute(a.Name, type)
        {
            Float = a.F,
            Int = a.I,
            String = a.S.ToStringUtf8(),
            Tensor = a.T is null ? null : OnnxTensorDecoder.Decode(a.T, sourceName, $"the tensor of {what}"),
            Floats = a.Floats.ToArray(),
            Ints = a.Ints.ToArray(),
            Strings = a.Strings.Select(s => s.ToStringUtf8()).ToArray(),
        };
    }

    // Files written before IR version 3 may leave out the type; it then follows from the field that is set.
    private static OnnxAttributeType InferType(AttributeProto a) =>
        a.HasF ? OnnxAttributeType.Float
        : a.HasI ? OnnxAttributeType.Int
        : a.HasS ? OnnxAttributeType.String
        : a.T is not null ? OnnxAttributeType.Tensor
        : a.G is not null ? OnnxAttributeType.Graph
        : a.Floats.Count > 0 ? OnnxAttributeType.Floats
        : a.Ints.Count > 0 ? OnnxAttributeType.Ints
        : a.Strings.Count > 0 ? OnnxAttributeType.Strings
        : OnnxAttributeType.Undefined;

    private static void CheckStructure(
        string sourceName,
        List<OnnxValueInfo> inputs,
        List<OnnxValueInfo> outputs,
        Dictionary<string, OnnxTensorData> initializers,
        List<OnnxNode> nodes)
    {
        var defined = new HashSet<string>(initializers.Keys, StringComparer.Ordinal);
        foreach (OnnxValueInfo input in inputs)
        {
            if (input.Name.Length == 0 || !defined.Add(input.Name))
            {
                throw new OnnxFormatException(sourceName, $"graph input '{input.Name}' is unnamed or defined twice");
            }
        }

        foreach (OnnxNode node in nodes)
        {
            foreach (string output in node.Outputs.Where(o => o.Length > 0))
            {
                if (!defined.Add(output))
                {
                    throw new OnnxFormatException(sourceName, $"{node} produces '{output}', which is already defined elsewhere in the graph");
                }
            }
        }

        foreach (OnnxNode node in nodes)
        {
            foreach (string input in node.Inputs.Where(i => i.Length > 0))
            {
                if (!defined.Contains(input))
                {
                    throw new OnnxFormatException(sourceName, $"{node} reads '{input}', which is neither a graph input, an initializer nor any node's output (missing initializer?)");
                }
            }
        }

        foreach (OnnxValueInfo output in outputs)
        {
            if (!defined.Contains(output.Name))
            {
                throw new OnnxFormatException(sourceName, $"graph output '{output.Name}' is not produced by any node");
            }
        }
    }
}
