namespace NeuralStyle.Weights.Cache;

/// <summary>The partial file could not be written (typically a full disk).</summary>
internal sealed class PartialWriteException(string path, Exception inner)
    : IOException($"cannot write the partial download {path}: {MessageText.OneLine(inner.Message.Split('\n', 2)[0]).TrimEnd('.')}", inner);
