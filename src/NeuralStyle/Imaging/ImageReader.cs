using SkiaSharp;

namespace NeuralStyle.Imaging;

/// <summary>Decodes image files (JPEG, PNG, WebP, BMP, GIF, … whatever SkiaSharp's SKCodec reads) into <see cref="RgbImage"/>.</summary>
/// <remarks>
/// The result matches what the original program got from <c>scipy.misc.imread</c> / PIL <c>convert('RGB')</c>:
/// grey is replicated, palettes are expanded, alpha is dropped with the colour channels kept as stored
/// (not premultiplied), 16-bit samples are reduced to 8 bits, and GIFs give their first frame.
/// Unlike the original, the EXIF orientation is applied, so photos come out the way viewers show them.
/// The header's size is checked against <see cref="ImageLimits"/> before any pixel buffer is allocated, and
/// <see cref="ReadHeader(string)"/> gives the size alone, so callers can plan (and refuse) before decoding.
/// </remarks>
public static class ImageReader
{
    /// <summary>Reads and decodes the image file at <paramref name="path"/>, after checking its header against <paramref name="limits"/>.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="limits">Size limits checked before decoding; null for <see cref="ImageLimits.Default"/>.</param>
    /// <exception cref="ImageReadException">The file is missing, unreadable, not an image, corrupt, or over a limit.</exception>
    public static RgbImage Read(string path, ImageLimits? limits = null) => Decode(Load(path), path, limits ?? ImageLimits.Default);

    /// <summary>Reads the rest of <paramref name="stream"/> and decodes it; <paramref name="name"/> is used in error messages.</summary>
    /// <exception cref="ImageReadException">The data is not an image, is corrupt, or is over a limit.</exception>
    public static RgbImage Read(Stream stream, string name, ImageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        using var copy = new MemoryStream();
        try
        {
            stream.CopyTo(copy);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ImageReadException(
                name, ImageReadFailure.Unreadable, $"Image '{name}' cannot be read: {ex.Message}", ex);
        }

        return Decode(copy.ToArray(), name, limits ?? ImageLimits.Default);
    }

    /// <summary>Decodes an encoded image held in memory; <paramref name="name"/> is used in error messages.</summary>
    /// <exception cref="ImageReadException">The data is not an image, is corrupt, or is over a limit.</exception>
    public static RgbImage Read(byte[] data, string name, ImageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(name);
        return Decode(data, name, limits ?? ImageLimits.Default);
    }

    /// <summary>Reads the header of the image file at <paramref name="path"/>: its size as shown, without decoding any pixel.</summary>
    /// <exception cref="ImageReadException">The file is missing, unreadable, not an image, or its header is corrupt.</exception>
    public static ImageHeader ReadHeader(string path)
    {
        byte[] data = Load(path);
        using SKCodec codec = Open(data, path);
        return HeaderOf(codec);
    }

    /// <summary>Reads the header of an encoded image held in memory, without decoding any pixel.</summary>
    /// <exception cref="ImageReadException">The data is not an image or its header is corrupt.</exception>
    public static ImageHeader ReadHeader(byte[] data, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(name);
        using SKCodec codec = Open(data, name);
        return HeaderOf(codec);
    }

    private static byte[] Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new ImageReadException(path, ImageReadFailure.NotAFile, $"'{path}' is a directory, not an image file.");
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageReadException(path, ImageReadFailure.NotFound, $"Image file '{path}' does not exist.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ImageReadException(
                path, ImageReadFailure.Unreadable, $"Image file '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    // Creating a codec reads the header only (PNG: the chunks before the image data; JPEG: the markers before the
    // scan); pixels are decoded by GetPixels.
    private static SKCodec Open(byte[] data, string name)
    {
        if (data.Length == 0)
        {
            throw new ImageReadException(name, ImageReadFailure.Empty, $"Image file '{name}' is empty (0 bytes).");
        }

        // A native SKMemoryStream, not a wrapped .NET Stream: corrupt headers make decoders ask the stream
        // to read or skip absurd lengths, and SkiaSharp's managed-stream callback then throws an
        // OverflowException that cannot unwind through Skia's native frames and terminates the process
        // (found by the fuzz test). The codec takes ownership of the stream.
        SKCodec? codec = SKCodec.Create(new SKMemoryStream(data), out var createResult);
        if (codec is null)
        {
            throw createResult == SKCodecResult.Unimplemented
                ? new ImageReadException(
                    name,
                    ImageReadFailure.UnknownFormat,
                    $"'{name}' is not an image SkiaSharp can decode (unknown format).")
                : Corrupt(name, createResult);
        }

        if (codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            var (width, height) = (codec.Info.Width, codec.Info.Height);
            codec.Dispose();
            throw new ImageReadException(
                name, ImageReadFailure.Corrupt, $"Image file '{name}' is truncated or corrupt (size {width}x{height}).");
        }

        return codec;
    }

    private static ImageHeader HeaderOf(SKCodec codec)
    {
        bool rotated = Rotates(codec.EncodedOrigin);
        return rotated
            ? new ImageHeader(codec.Info.Height, codec.Info.Width, true)
            : new ImageHeader(codec.Info.Width, codec.Info.Height, false);
    }

    private static RgbImage Decode(byte[] data, string name, ImageLimits limits)
    {
        using SKCodec codec = Open(data, name);

        // Nothing is allocated for the pixels before the header's size has passed the limits.
        limits.Check(HeaderOf(codec), name);
        var width = codec.Info.Width;
        var height = codec.Info.Height;

        // Unpremul keeps semi-transparent pixels' colours as stored (what PIL's convert('RGB') does);
        // the default premultiplied decode would darken them towards black.
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[width * height * 4];
        var decodeResult = codec.GetPixels(info, rgba);
        if (decodeResult != SKCodecResult.Success)
        {
            throw Corrupt(name, decodeResult);
        }

        return Orient(rgba, width, height, codec.EncodedOrigin);
    }

    // The origin names where the stored first row / first column belong on screen; for the four
    // "Left*"/"Right*" cases the stored rows become columns, so width and height swap.
    private static bool Rotates(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    private static ImageReadException Corrupt(string name, SKCodecResult result) =>
        new(name, ImageReadFailure.Corrupt, $"Image file '{name}' is truncated or corrupt ({Describe(result)}).");

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the data ends early",
        SKCodecResult.ErrorInInput => "the data contains errors",
        SKCodecResult.InvalidInput => "the header is invalid",
        _ => $"SkiaSharp reported {result}",
    };

    /// <summary>Drops alpha and applies the EXIF orientation while converting RGBA bytes to float RGB.</summary>
    private static RgbImage Orient(byte[] rgba, int storedWidth, int storedHeight, SKEncodedOrigin origin)
    {
        var swaps = Rotates(origin);
        var width = swaps ? storedHeight : storedWidth;
        var height = swaps ? storedWidth : storedHeight;
        var pixels = new float[RgbImage.PixelCount(width, height)];
        var maxX = storedWidth - 1;
        var maxY = storedHeight - 1;

        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (sx, sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (maxX - x, y),
                    SKEncodedOrigin.BottomRight => (maxX - x, maxY - y),
                    SKEncodedOrigin.BottomLeft => (x, maxY - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, maxY - x),
                    SKEncodedOrigin.RightBottom => (maxX - y, maxY - x),
                    SKEncodedOrigin.LeftBottom => (maxX - y, x),
                    _ => (x, y),
                };
                var src = ((sy * storedWidth) + sx) * 4;
                var dst = ((y * width) + x) * 3;
                pixels[dst] = rgba[src];
                pixels[dst + 1] = rgba[src + 1];
                pixels[dst + 2] = rgba[src + 2];
            }
        }

        return new RgbImage(width, height, pixels);
    }
}
