namespace NeuralStyle.Weights.Cache;

/// <summary>One URL failed for good (the next mirror is tried); the message is brief, without the URL.</summary>
internal sealed class UrlFailure(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A connection failed in a way a new request may cure (cut, reset, stall); <see cref="Stall"/> when nothing arrived in time.</summary>
internal sealed class TransientFailure(string message, bool stall = false, Exception? inner = null) : Exception(message, inner)
{
    public bool Stall { get; } = stall;
}

/// <summary>The server's answer cannot continue the partial file (a wrong range); the download starts again from 0.</summary>
internal sealed class RestartFailure(string message) : Exception(message);
