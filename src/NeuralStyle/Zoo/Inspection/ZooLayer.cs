namespace NeuralStyle.Zoo.Inspection;

/// <summary>A module of a zoo model that produced an output, usable as a feature layer.</summary>
/// <param name="Name">Module path ("features.29", "layer3", "inception4c").</param>
/// <param name="Type">Module type ("ReLU", "Sequential", "Inception").</param>
/// <param name="OutputShape">Shape of its (first) output at the input it was listed for, batch first.</param>
/// <param name="IsLeaf">True when the module has no submodules.</param>
public sealed record ZooLayer(string Name, string Type, IReadOnlyList<long> OutputShape, bool IsLeaf);
