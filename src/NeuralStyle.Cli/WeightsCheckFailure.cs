namespace NeuralStyle.Cli;

/// <summary>A file does not match its published hash (exit 1).</summary>
internal sealed class WeightsCheckFailure(string message) : NeuralStyleException(message);
