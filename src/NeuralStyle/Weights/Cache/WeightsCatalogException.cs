namespace NeuralStyle.Weights.Cache;

/// <summary>The user's catalog.json cannot be used; the message names the file and the problem, on one line.</summary>
public sealed class WeightsCatalogException(string message, Exception? innerException = null)
    : IOException(message, innerException);
