namespace NeuralStyle.Cli;

/// <summary>A mistake in the command line, reported as one line with exit code 2 (argparse's convention).</summary>
internal sealed class UsageException(string message) : Exception(message);
