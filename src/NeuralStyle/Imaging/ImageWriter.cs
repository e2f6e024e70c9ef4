using System.Runtime.InteropServices;
using SkiaSharp;

namespace NeuralStyle.Imaging;

/// <summary>Encodes <see cref="RgbImage"/>s to PNG, JPEG or WebP files, atomically.</summary>
public static class ImageWriter
{
    /// <summary>The file extensions <see cref="Write(RgbImage, string, bool, int)"/> accepts (case-insensitive).</summary>
    public static IReadOnlyList<string> SupportedExtensions { get; } = [".png", ".jpg", ".jpeg", ".webp"];

    /// <summary>
    /// Writes <paramref name="image"/> to <paramref name="path"/>, choosing the format by extension; values are
    /// rounded and clipped to 8 bits. The file is written under a temporary name in the same directory and
    /// renamed into place, so readers never see a half-written file.
    /// </summary>
    /// <param name="image">The image to write.</param>
    /// <param name="path">Target file; its directory must exist.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    /// <param name="jpegQuality">Quality 1..100 for JPEG and (lossy) WebP; ignored for PNG.</param>
    /// <exception cref="ArgumentException">Unsupported extension.</exception>
    /// <exception cref="IOException">The target exists and <paramref name="overwrite"/> is false, its directory is missing, or writing failed.</exception>
    public static void Write(RgbImage image, string path, bool overwrite, int jpegQuality = 95) =>
        Write(image, path, overwrite, jpegQuality, beforeRename: null);

    /// <summary>
    /// Checks everything <see cref="Write(RgbImage, string, bool, int)"/> checks before encoding (extension,
    /// directory, existing file), so a caller can fail fast before spending time producing the image.
    /// </summary>
    public static void EnsureWritable(string path, bool overwrite) => Prepare(path, overwrite);

    /// <summary>The PNG encoding of <paramref name="image"/> (8 bits, rounded and clipped), for a viewer rather than a file.</summary>
    /// <exception cref="IOException">SkiaSharp could not encode the image.</exception>
    public static byte[] EncodePng(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using SKData encoded = Encode(image, SKEncodedImageFormat.Png, 100) ?? throw new IOException("SkiaSharp failed to encode the image as PNG");
        return encoded.ToArray();
    }

    /// <summary>Whether the extension of <paramref name="path"/> is one this writer can encode.</summary>
    public static bool IsSupportedExtension(string path) =>
        FormatFor(Path.GetExtension(path)) is not null;

    /// <summary>Write with a hook that runs after the temporary file is complete and before the rename (tests inject failures there).</summary>
    internal static void Write(RgbImage image, string path, bool overwrite, int jpegQuality, Action<string>? beforeRename)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(jpegQuality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jpegQuality, 100);
        var (fullPath, format) = Prepare(path, overwrite);

        var directory = Path.GetDirectoryName(fullPath)!;
        // Same directory so the final rename stays on one file system and is atomic; the leading dot keeps
        // the temporary file out of casual directory listings and globs like *.png.
        var tempPath = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            // Encoded in memory first: SkiaSharp writes to a .NET stream from native code, and an exception there (a
            // full disk) cannot unwind through Skia's frames; it would terminate the process.
            using SKData encoded = Encode(image, format, jpegQuality)
                ?? throw new IOException($"Cannot write '{path}': SkiaSharp failed to encode the image as {format}.");
            try
            {
                using var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                file.Write(encoded.AsSpan());
                file.Flush(flushToDisk: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"Cannot write '{path}': {Files.AtomicFile.Cause(ex, tempPath)}", ex);
            }

            beforeRename?.Invoke(tempPath);
            Commit(tempPath, fullPath, path, overwrite);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    private static (string FullPath, SKEncodedImageFormat Format) Prepare(string path, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var extension = Path.GetExtension(path);
        var format = FormatFor(extension) ?? throw new ArgumentException(
            extension.Length == 0
                ? $"Cannot write '{path}': the file name has no extension (supported: {string.Join(", ", SupportedExtensions)})."
                : $"Cannot write '{path}': unsupported image extension '{extension}' (supported: {string.Join(", ", SupportedExtensions)}).",
            nameof(path));

        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath);
        if (directory is null || !Directory.Exists(directory))
        {
            // Deliberately no Directory.CreateDirectory: a typo in the output path should not silently
            // create a directory tree somewhere unexpected.
            throw new DirectoryNotFoundException($"Cannot write '{path}': directory '{directory}' does not exist.");
        }

        if (Directory.Exists(fullPath))
        {
            throw new IOException($"Cannot write '{path}': it is a directory.");
        }

        if (!overwrite && File.Exists(fullPath))
        {
            throw AlreadyExists(path);
        }

        return (fullPath, format);
    }

    private static SKEncodedImageFormat? FormatFor(string extension) => extension.ToLowerInvariant() switch
    {
        ".png" => SKEncodedImageFormat.Png,
        ".jpg" or ".jpeg" => SKEncodedImageFormat.Jpeg,
        ".webp" => SKEncodedImageFormat.Webp,
        _ => null,
    };

    private static IOException AlreadyExists(string path) =>
        new($"{path} already exists (use --overwrite to replace it)");

    private static SKData? Encode(RgbImage image, SKEncodedImageFormat format, int quality)
    {
        var rgba = new byte[image.Width * image.Height * 4];
        var pixels = image.Pixels;
        for (int src = 0, dst = 0; src < pixels.Length; src += 3, dst += 4)
        {
            rgba[dst] = RgbImage.ClipToByte(pixels[src]);
            rgba[dst + 1] = RgbImage.ClipToByte(pixels[src + 1]);
            rgba[dst + 2] = RgbImage.ClipToByte(pixels[src + 2]);
            rgba[dst + 3] = 255;
        }

        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            return format switch
            {
                SKEncodedImageFormat.Png => pixmap.Encode(SKPngEncoderOptions.Default),
                // 4:4:4 because stylised images carry fine colour detail that 4:2:0 chroma subsampling smears.
                SKEncodedImageFormat.Jpeg => pixmap.Encode(
                    new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample444, SKJpegEncoderAlphaOption.Ignore)),
                SKEncodedImageFormat.Webp => pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, quality)),
                _ => null,
            };
        }
        finally
        {
            handle.Free();
        }
    }

    private static void Commit(string tempPath, string fullPath, string path, bool overwrite)
    {
        try
        {
            // Without overwrite, .NET moves with link()+unlink() on Unix, which fails atomically if the
            // target appeared after Prepare's check, instead of clobbering it.
            File.Move(tempPath, fullPath, overwrite);
        }
        catch (IOException) when (!overwrite && File.Exists(fullPath))
        {
            throw AlreadyExists(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write '{path}': {ex.Message}", ex);
        }
    }

    private static void TryDelete(string tempPath)
    {
        try
        {
            File.Delete(tempPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original failure is what the caller needs to see.
        }
    }
}
