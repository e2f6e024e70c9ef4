namespace NeuralStyle.Weights.Cache;

/// <summary>
/// A weight file could not be fetched: every URL failed (the message names each URL and its failure, briefly), the
/// download did not match its hash, or the partial file could not be written. One line.
/// </summary>
public sealed class WeightsDownloadException(string message, Exception? innerException = null)
    : NeuralStyleException(message, innerException);
