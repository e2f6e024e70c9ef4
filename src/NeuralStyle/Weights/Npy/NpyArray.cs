namespace NeuralStyle.Weights.Npy;

/// <summary>An array read from a .npy file: its shape (empty for a 0-d array) and its elements in C order, as float32.</summary>
public sealed record NpyArray(long[] Shape, float[] Data);
