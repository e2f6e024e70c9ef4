namespace NeuralStyle.Jobs;

/// <summary>
/// A style job's specification cannot be run as given (a missing network, an output that exists without permission
/// to overwrite, options that do not fit the backbone): the caller's mistake, found before any long work starts.
/// </summary>
public sealed class JobSpecException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public JobSpecException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public JobSpecException()
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public JobSpecException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
