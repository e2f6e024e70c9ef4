namespace NeuralStyle.Imaging;

/// <summary>An image file could not be read or decoded; the message names the file and the problem.</summary>
public sealed class ImageReadException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public ImageReadException(string filePath, ImageReadFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
        Failure = failure;
    }

    /// <summary>The path (or stream name) of the image that failed.</summary>
    public string FilePath { get; }

    /// <summary>The kind of failure.</summary>
    public ImageReadFailure Failure { get; }
}
