namespace NeuralStyle.Imaging;

/// <summary>Why an image could not be read.</summary>
public enum ImageReadFailure
{
    /// <summary>The file does not exist.</summary>
    NotFound,

    /// <summary>The path names a directory or something else that is not a regular file.</summary>
    NotAFile,

    /// <summary>The file exists but could not be read (permissions, I/O error).</summary>
    Unreadable,

    /// <summary>The file is empty.</summary>
    Empty,

    /// <summary>The content is not in any format SkiaSharp can decode.</summary>
    UnknownFormat,

    /// <summary>The format was recognised but the data is truncated or corrupt.</summary>
    Corrupt,

    /// <summary>Decoding the image would take more memory than one array holds or than the caller allows.</summary>
    TooLarge,

    /// <summary>The image has more pixels than the decompression-bomb guard allows (<see cref="ImageLimits.MaxPixels"/>).</summary>
    TooManyPixels,
}
