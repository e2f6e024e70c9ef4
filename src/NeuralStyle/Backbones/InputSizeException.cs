namespace NeuralStyle.Backbones;

/// <summary>A backbone runs on no input size (it fails for a reason other than the input being too small).</summary>
public sealed class InputSizeException(string message) : NeuralStyleException(message);
