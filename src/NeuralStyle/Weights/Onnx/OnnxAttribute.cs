using System.Globalization;

namespace NeuralStyle.Weights.Onnx;

/// <summary>One attribute of a node, with the value that its <see cref="Type"/> says is meaningful.</summary>
public sealed class OnnxAttribute
{
    internal OnnxAttribute(string name, OnnxAttributeType type)
    {
        Name = name;
        Type = type;
    }

    /// <summary>The attribute's name.</summary>
    public string Name { get; }

    /// <summary>Which of the value properties holds the value.</summary>
    public OnnxAttributeType Type { get; }

    /// <summary>The value of a FLOAT attribute.</summary>
    public float Float { get; internal init; }

    /// <summary>The value of an INT attribute.</summary>
    public long Int { get; internal init; }

    /// <summary>The value of a STRING attribute, decoded as UTF-8.</summary>
    public string String { get; internal init; } = string.Empty;

    /// <summary>The value of a TENSOR attribute.</summary>
    public OnnxTensorData? Tensor { get; internal init; }

    /// <summary>The value of a FLOATS attribute.</summary>
    public IReadOnlyList<float> Floats { get; internal init; } = [];

    /// <summary>The value of an INTS attribute.</summary>
    public IReadOnlyList<long> Ints { get; internal init; } = [];

    /// <summary>The value of a STRINGS attribute.</summary>
    public IReadOnlyList<string> Strings { get; internal init; } = [];

    /// <summary>The attribute as <c>name=value</c> text.</summary>
    public override string ToString()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        string value = Type switch
        {
            OnnxAttributeType.Float => Float.ToString(c),
            OnnxAttributeType.Int => Int.ToString(c),
            OnnxAttributeType.String => $"'{String}'",
            OnnxAttributeType.Tensor => $"tensor [{string.Join(",", Tensor?.Dimensions ?? [])}]",
            OnnxAttributeType.Floats => $"[{string.Join(",", Floats.Select(f => f.ToString(c)))}]",
            OnnxAttributeType.Ints => $"[{string.Join(",", Ints)}]",
            OnnxAttributeType.Strings => $"[{string.Join(",", Strings.Select(s => $"'{s}'"))}]",
            _ => Type.ToString(),
        };
        return $"{Name}={value}";
    }
}
