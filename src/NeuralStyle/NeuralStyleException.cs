namespace NeuralStyle;

/// <summary>
/// Base of the library's own errors that are not about reading a file (those derive from <see cref="IOException"/>):
/// a model that cannot run on an input, kernels that give wrong answers. A front end reports the message in one line.
/// </summary>
public abstract class NeuralStyleException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected NeuralStyleException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
