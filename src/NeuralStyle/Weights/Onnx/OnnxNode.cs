namespace NeuralStyle.Weights.Onnx;

/// <summary>One node of the graph: an operator applied to named inputs, producing named outputs.</summary>
public sealed class OnnxNode
{
    internal OnnxNode(int index, string name, string opType, string domain, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyDictionary<string, OnnxAttribute> attributes)
    {
        Index = index;
        Name = name;
        OpType = opType;
        Domain = domain;
        Inputs = inputs;
        Outputs = outputs;
        Attributes = attributes;
    }

    /// <summary>Position of the node in the file (0-based).</summary>
    public int Index { get; }

    /// <summary>The node's name; may be empty, since ONNX does not require one.</summary>
    public string Name { get; }

    /// <summary>The operator, e.g. <c>Conv</c>.</summary>
    public string OpType { get; }

    /// <summary>The operator set domain; empty for the default ONNX domain.</summary>
    public string Domain { get; }

    /// <summary>Input value names; an empty string marks an omitted optional input.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Output value names; an empty string marks an output that is not produced.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>The node's attributes by name.</summary>
    public IReadOnlyDictionary<string, OnnxAttribute> Attributes { get; }

    /// <summary>Describes the node for messages: index, name, operator and first output.</summary>
    public override string ToString()
    {
        string name = Name.Length > 0 ? $" '{Name}'" : string.Empty;
        string output = Outputs.Count > 0 ? $", first output '{Outputs[0]}'" : string.Empty;
        string domain = Domain.Length > 0 && Domain != "ai.onnx" ? Domain + "." : string.Empty;
        return $"node {Index}{name} ({domain}{OpType}{output})";
    }
}
