namespace NeuralStyle.Zoo.Inspection;

/// <summary>One leaf module call in a <see cref="ModelSummary"/>.</summary>
/// <param name="Name">Module path, as in PyTorch's named_modules ("features.0", "layer1.0.conv1").</param>
/// <param name="Type">Module type ("Conv2d").</param>
/// <param name="OutputShape">Shape of its (first) output, batch first.</param>
/// <param name="Parameters">Parameters the module holds itself.</param>
/// <param name="MultiplyAdds">Multiply-adds per image of this call.</param>
/// <param name="Repeated">A second or later call of the same module (shared weights): its parameters are already counted in the first row.</param>
public sealed record SummaryRow(string Name, string Type, IReadOnlyList<long> OutputShape, long Parameters, long MultiplyAdds, bool Repeated);
