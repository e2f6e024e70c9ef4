using System.Globalization;

namespace NeuralStyle.Imaging;

/// <summary>The limits <see cref="ImageReader"/> checks against an image's header, before it allocates or decodes anything.</summary>
/// <remarks>
/// A compressed file says nothing about its decoded size: a 400 KB PNG can claim 20000x20000 pixels and take 6 GiB to
/// decode here. The header's size is therefore checked first, against a pixel limit (a decompression-bomb guard, as
/// Pillow's <c>MAX_IMAGE_PIXELS</c>) and against the memory the caller allows for decoding.
/// </remarks>
public sealed record ImageLimits
{
    /// <summary>The default pixel limit: 178,956,970 pixels, the size above which Pillow raises <c>DecompressionBombError</c>.</summary>
    /// <remarks>
    /// The seed read its images with <c>scipy.misc.imread</c>, that is with PIL, whose guard refuses images of more
    /// than twice <c>MAX_IMAGE_PIXELS</c> (2 x 89,478,485); so every image the seed could read is read here too. That is
    /// 13377x13377, larger than any camera's picture, and decoding it takes 2.7 GiB (<see cref="DecodeBytesPerPixel"/>).
    /// </remarks>
    public const long DefaultMaxPixels = 178_956_970;

    /// <summary>Bytes per pixel a decode holds at once: SkiaSharp's RGBA bytes and the float RGB image made from them.</summary>
    public const int DecodeBytesPerPixel = 4 + (RgbImage.Channels * sizeof(float));

    private readonly long _maxPixels = DefaultMaxPixels;
    private readonly long? _maxDecodeBytes;

    /// <summary>The default pixel limit and no memory budget besides what one .NET array can hold.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>Images with more pixels than this are refused (<see cref="ImageReadFailure.TooManyPixels"/>).</summary>
    public long MaxPixels
    {
        get => _maxPixels;
        init => _maxPixels = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxPixels), value, "The pixel limit must be positive.");
    }

    /// <summary>Bytes a decode may take (<see cref="DecodeBytes"/>), or null for no budget (<see cref="ImageReadFailure.TooLarge"/>).</summary>
    public long? MaxDecodeBytes
    {
        get => _maxDecodeBytes;
        init => _maxDecodeBytes = value is null or > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxDecodeBytes), value, "The decode budget must be positive.");
    }

    /// <summary>How a refusal names the budget: "available", "allowed by --max-memory".</summary>
    public string DecodeBudgetName { get; init; } = "allowed";

    /// <summary>The bytes decoding a <paramref name="width"/> x <paramref name="height"/> image holds at its peak.</summary>
    public static long DecodeBytes(int width, int height) => (long)width * height * DecodeBytesPerPixel;

    /// <summary>Refuses an image of <paramref name="header"/>'s size; <paramref name="name"/> is the file named in the message.</summary>
    /// <exception cref="ImageReadException">The image is over a limit.</exception>
    public void Check(ImageHeader header, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string size = $"{header.Width}x{header.Height}";
        if (header.Pixels > MaxPixels)
        {
            throw new ImageReadException(
                name,
                ImageReadFailure.TooManyPixels,
                $"Image file '{name}' is {size} ({Count(header.Pixels)} pixels), more than the limit of {Count(MaxPixels)} that guards against decompression bombs; if the image is genuine, raise the limit with --max-pixels {header.Pixels.ToString(CultureInfo.InvariantCulture)}.");
        }

        // SkiaSharp decodes into one RGBA array, and a .NET array holds at most Array.MaxLength bytes.
        if (header.Pixels * 4 > Array.MaxLength)
        {
            throw new ImageReadException(name, ImageReadFailure.TooLarge, $"Image file '{name}' is too large to load ({size} pixels).");
        }

        long needed = DecodeBytes(header.Width, header.Height);
        if (MaxDecodeBytes is long budget && needed > budget)
        {
            throw new ImageReadException(
                name,
                ImageReadFailure.TooLarge,
                $"Image file '{name}' is {size}: decoding it needs {MibRoundedUp(needed)} MiB but only {Mib(budget)} MiB are {DecodeBudgetName}.");
        }
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Mib(long bytes) => (bytes >> 20).ToString(CultureInfo.InvariantCulture);

    private static string MibRoundedUp(long bytes) => ((bytes + (1L << 20) - 1) >> 20).ToString(CultureInfo.InvariantCulture);
}
