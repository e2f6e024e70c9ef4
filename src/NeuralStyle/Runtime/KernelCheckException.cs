namespace NeuralStyle.Runtime;

/// <summary>LibTorch's kernels give wrong numbers on this CPU in every configuration the guard can choose, or a switch did not take effect.</summary>
public sealed class KernelCheckException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public KernelCheckException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public KernelCheckException()
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public KernelCheckException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
