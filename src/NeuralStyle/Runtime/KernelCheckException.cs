namespace NeuralStyle.Runtime;

/// <summary>LibTorch's kernels give wrong numbers on this CPU in every configuration the guard can choose, or a switch did not take effect.</summary>
public sealed class KernelCheckException : NeuralStyleException
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public KernelCheckException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
