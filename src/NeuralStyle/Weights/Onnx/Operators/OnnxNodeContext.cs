using static TorchSharp.torch;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>What an operator factory sees of its node: typed attribute access, input checks and error helpers.</summary>
/// <remarks>
/// Every attribute a factory reads (or declares ignorable) is marked; <see cref="Finish(OnnxOperator)"/> then rejects the ones
/// nobody read, so an attribute the importer does not understand fails at load time instead of being ignored.
/// </remarks>
internal sealed class OnnxNodeContext(OnnxNode node, string sourceName, long opset, IReadOnlyDictionary<string, OnnxTensorData> initializers)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>The node being built.</summary>
    public OnnxNode Node { get; } = node;

    /// <summary>The model's name for messages.</summary>
    public string SourceName { get; } = sourceName;

    /// <summary>The default domain's operator set version, which selects the operator's semantics.</summary>
    public long Opset { get; } = opset;

    /// <summary>Number of inputs, counting omitted optional ones up to the last given one.</summary>
    public int InputCount => Node.Inputs.Count;

    /// <summary>Whether input <paramref name="i"/> is present (listed and not the empty name).</summary>
    public bool HasInput(int i) => i < Node.Inputs.Count && Node.Inputs[i].Length > 0;

    /// <summary>The initializer that feeds input <paramref name="i"/>, when it is one.</summary>
    public OnnxTensorData? ConstantInput(int i) =>
        HasInput(i) && initializers.TryGetValue(Node.Inputs[i], out OnnxTensorData? t) ? t : null;

    /// <summary>Rejects nodes with fewer than <paramref name="min"/> or more than <paramref name="max"/> inputs.</summary>
    public void RequireInputs(int min, int max)
    {
        if (Node.Inputs.Count > max)
        {
            throw Unsupported($"{Node.Inputs.Count} inputs; at most {max} are supported");
        }

        for (int i = 0; i < min; i++)
        {
            if (!HasInput(i))
            {
                throw Invalid($"required input {i} is missing");
            }
        }
    }

    /// <summary>Rejects nodes that ask for outputs beyond the first <paramref name="max"/>, which are not computed.</summary>
    public void LimitOutputs(int max, string what = "")
    {
        for (int i = max; i < Node.Outputs.Count; i++)
        {
            if (Node.Outputs[i].Length > 0)
            {
                throw Unsupported($"output {i} ('{Node.Outputs[i]}') is not supported{what}");
            }
        }
    }

    /// <summary>An INT attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public long Int(string name, long defaultValue) => OptionalInt(name) ?? defaultValue;

    /// <summary>An INT attribute, or null when absent.</summary>
    public long? OptionalInt(string name) => Get(name, OnnxAttributeType.Int)?.Int;

    /// <summary>A FLOAT attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public float Float(string name, float defaultValue) => Get(name, OnnxAttributeType.Float)?.Float ?? defaultValue;

    /// <summary>A FLOAT attribute, or null when absent.</summary>
    public float? OptionalFloat(string name) => Get(name, OnnxAttributeType.Float)?.Float;

    /// <summary>A STRING attribute, or <paramref name="defaultValue"/> when absent.</summary>
    public string String(string name, string defaultValue) => Get(name, OnnxAttributeType.String)?.String ?? defaultValue;

    /// <summary>An INTS attribute, or null when absent.</summary>
    public long[]? Ints(string name) => Get(name, OnnxAttributeType.Ints)?.Ints.ToArray();

    /// <summary>A FLOATS attribute, or null when absent.</summary>
    public float[]? Floats(string name) => Get(name, OnnxAttributeType.Floats)?.Floats.ToArray();

    /// <summary>A TENSOR attribute, or null when absent.</summary>
    public OnnxTensorData? TensorAttribute(string name) => Get(name, OnnxAttributeType.Tensor)?.Tensor;

    /// <summary>Whether the attribute is present (and marks it as read).</summary>
    public bool HasAttribute(string name)
    {
        _read.Add(name);
        return Node.Attributes.ContainsKey(name);
    }

    /// <summary>Marks attributes that have no effect on inference (e.g. BatchNormalization's momentum).</summary>
    public void Ignore(params string[] names)
    {
        foreach (string n in names)
        {
            _read.Add(n);
        }
    }

    /// <summary>Rejects every attribute the factory did not read, then returns <paramref name="op"/>.</summary>
    public OnnxOperator Finish(OnnxOperator op)
    {
        string[] unread = Node.Attributes.Keys.Where(k => !_read.Contains(k)).ToArray();
        if (unread.Length > 0)
        {
            throw Unsupported($"attribute{(unread.Length > 1 ? "s" : string.Empty)} {string.Join(", ", unread.Select(u => $"'{u}'"))} not supported");
        }

        return op;
    }

    /// <summary>Builds a single-output operator from <paramref name="compute"/>, after <see cref="Finish(OnnxOperator)"/>'s check.</summary>
    public OnnxOperator Finish(Func<Tensor?[], Tensor> compute) => Finish(new SingleOutputOperator(compute));

    /// <summary>An error for a feature of this node that the importer does not implement.</summary>
    public OnnxUnsupportedException Unsupported(string detail) =>
        new(SourceName, $"{Node}: {detail}", Node.OpType);

    /// <summary>An error for a node that breaks the operator's specification.</summary>
    public OnnxFormatException Invalid(string detail) => new(SourceName, $"{Node}: {detail}");

    private OnnxAttribute? Get(string name, OnnxAttributeType type)
    {
        _read.Add(name);
        if (!Node.Attributes.TryGetValue(name, out OnnxAttribute? a))
        {
            return null;
        }

        if (a.Type != type)
        {
            throw Invalid($"attribute '{name}' should be {type.ToString().ToUpperInvariant()} but is {a.Type.ToString().ToUpperInvariant()}");
        }

        return a;
    }
}
