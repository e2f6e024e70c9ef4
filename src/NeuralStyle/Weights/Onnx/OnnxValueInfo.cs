namespace NeuralStyle.Weights.Onnx;

/// <summary>A graph input or output as the model declares it.</summary>
/// <param name="Name">The value's name in the graph.</param>
/// <param name="ElementType">The declared element type (<see cref="OnnxDataType.Undefined"/> when not given).</param>
/// <param name="Shape">The declared dimensions, null entries for symbolic or unknown ones; null when no shape is declared.</param>
public sealed record OnnxValueInfo(string Name, OnnxDataType ElementType, IReadOnlyList<long?>? Shape)
{
    /// <summary>The shape when every dimension is a fixed number, otherwise null.</summary>
    public long[]? StaticShape => Shape is not null && Shape.All(d => d is not null) ? Shape.Select(d => d!.Value).ToArray() : null;

    /// <summary>The shape as text, e.g. <c>Input247 Float [1,3,224,224]</c>, with <c>?</c> for symbolic dimensions.</summary>
    public override string ToString() =>
        $"{Name} {ElementType} " + (Shape is null ? "(no shape)" : "[" + string.Join(",", Shape.Select(d => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?")) + "]");
}
