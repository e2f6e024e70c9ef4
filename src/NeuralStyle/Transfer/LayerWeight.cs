namespace NeuralStyle.Transfer;

/// <summary>A layer a loss reads, with its weight inside that loss.</summary>
public sealed record LayerWeight(string Layer, double Weight);
