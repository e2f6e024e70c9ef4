namespace NeuralStyle.Imaging;

/// <summary>An RGB image stored as 32-bit floats in height × width × channel (HWC) order, values nominally 0..255.</summary>
/// <remarks>
/// Values are deliberately not clipped while the image is in memory: optimisation results and colour
/// transforms can leave the 0..255 range, and only writing to 8 bits (<see cref="ToBytesClipped"/>) clips.
/// </remarks>
public sealed class RgbImage
{
    /// <summary>Number of interleaved channels per pixel (R, G, B).</summary>
    public const int Channels = 3;

    /// <summary>Creates a black image of the given size.</summary>
    public RgbImage(int width, int height)
        : this(width, height, new float[PixelCount(width, height)])
    {
    }

    /// <summary>Wraps an existing HWC RGB buffer (not copied: the image takes ownership of <paramref name="pixels"/>).</summary>
    public RgbImage(int width, int height, float[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var expected = PixelCount(width, height);
        if (pixels.Length != expected)
        {
            throw new ArgumentException(
                $"A {width}x{height} RGB image needs {expected} values (width * height * 3), got {pixels.Length}.",
                nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixel values, index <c>(y * Width + x) * 3 + channel</c>, channel 0 = red.</summary>
    public float[] Pixels { get; }

    /// <summary>Gets or sets one channel value of one pixel.</summary>
    public float this[int x, int y, int channel]
    {
        get => Pixels[Index(x, y, channel)];
        set => Pixels[Index(x, y, channel)] = value;
    }

    /// <summary>Creates an image from 8-bit HWC RGB bytes.</summary>
    public static RgbImage FromBytes(int width, int height, ReadOnlySpan<byte> rgb)
    {
        var pixels = new float[PixelCount(width, height)];
        if (rgb.Length != pixels.Length)
        {
            throw new ArgumentException(
                $"A {width}x{height} RGB image needs {pixels.Length} bytes (width * height * 3), got {rgb.Length}.",
                nameof(rgb));
        }

        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = rgb[i];
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>Returns a deep copy.</summary>
    public RgbImage Clone() => new(Width, Height, (float[])Pixels.Clone());

    /// <summary>Converts to 8-bit HWC RGB bytes, rounding to nearest and clipping to 0..255 (NaN becomes 0).</summary>
    public byte[] ToBytesClipped()
    {
        var bytes = new byte[Pixels.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = ClipToByte(Pixels[i]);
        }

        return bytes;
    }

    /// <summary>Rounds to nearest and clips to 0..255; NaN maps to 0.</summary>
    internal static byte ClipToByte(float value)
    {
        // Written so that NaN fails both comparisons and ends up as 0 rather than throwing or wrapping.
        if (value >= 254.5f)
        {
            return 255;
        }

        return value > 0f ? (byte)(value + 0.5f) : (byte)0;
    }

    /// <summary>Validates the dimensions and returns width * height * 3.</summary>
    internal static int PixelCount(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var count = (long)width * height * Channels;
        if (count > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(width), $"A {width}x{height} RGB image is too large for one array ({count} values).");
        }

        return (int)count;
    }

    private int Index(int x, int y, int channel)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || (uint)channel >= Channels)
        {
            throw new ArgumentOutOfRangeException(
                nameof(x), $"Pixel ({x}, {y}, channel {channel}) is outside a {Width}x{Height} RGB image.");
        }

        return ((y * Width) + x) * Channels + channel;
    }
}
