using NeuralStyle.Imaging;
using Xunit;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Imaging;

/// <summary>Image sizes are checked against the header before anything is decoded: pixel limit and decode memory.</summary>
public sealed class ImageLimitsTests(ITestOutputHelper output)
{
    [Fact]
    public void A_png_claiming_100000x100000_is_refused_by_its_header_naming_the_override()
    {
        byte[] png = HeaderOnlyImages.Png(100000, 100000);
        Assert.InRange(png.Length, 1, 1000);
        Assert.Equal(new ImageHeader(100000, 100000, false), ImageReader.ReadHeader(png, "bomb.png"));

        var ex = Assert.Throws<ImageReadException>(() => ImageReader.Read(png, "bomb.png"));

        output.WriteLine(ex.Message);
        Assert.Equal(ImageReadFailure.TooManyPixels, ex.Failure);
        Assert.Equal("Image file 'bomb.png' is 100000x100000 (10,000,000,000 pixels), more than the limit of 178,956,970 that guards against decompression bombs; if the image is genuine, raise the limit with --max-pixels 10000000000.", ex.Message);
    }

    [Fact]
    public void The_size_is_refused_before_decoding_a_file_that_decoding_would_find_truncated()
    {
        // Within the limits, the file is decoded and found truncated; over them, it is refused by its size, so
        // the refusal came before any decoding.
        byte[] png = HeaderOnlyImages.Png(64, 64);
        var decoded = Assert.Throws<ImageReadException>(() => ImageReader.Read(png, "short.png"));
        Assert.Equal(ImageReadFailure.Corrupt, decoded.Failure);
        Assert.Contains("is truncated or corrupt", decoded.Message, StringComparison.Ordinal);

        var refused = Assert.Throws<ImageReadException>(() => ImageReader.Read(png, "short.png", new ImageLimits { MaxPixels = 4095 }));
        Assert.Equal(ImageReadFailure.TooManyPixels, refused.Failure);
        Assert.Contains("'short.png' is 64x64 (4,096 pixels), more than the limit of 4,095", refused.Message, StringComparison.Ordinal);

        var overBudget = Assert.Throws<ImageReadException>(() => ImageReader.Read(png, "short.png", new ImageLimits { MaxDecodeBytes = 4096 * 16 - 1 }));
        Assert.Equal(ImageReadFailure.TooLarge, overBudget.Failure);
    }

    [Fact]
    public void A_png_claiming_20000x20000_that_fits_the_pixel_limit_is_refused_by_the_decode_budget()
    {
        // The 400 KB PNG of issue 11 took 11.4 GB to decode although --max-memory 500 was given.
        byte[] png = HeaderOnlyImages.Png(20000, 20000);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var limits = new ImageLimits { MaxPixels = 400_000_000, MaxDecodeBytes = 500L << 20, DecodeBudgetName = "allowed by --max-memory" };

        var ex = Assert.Throws<ImageReadException>(() => ImageReader.Read(png, "big.png", limits));

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"{ex.Message} ({allocated} bytes allocated)");
        Assert.Equal(ImageReadFailure.TooLarge, ex.Failure);
        Assert.Equal("Image file 'big.png' is 20000x20000: decoding it needs 6104 MiB but only 500 MiB are allowed by --max-memory.", ex.Message);
        Assert.InRange(allocated, 0, 16L << 20);
    }

    [Fact]
    public void A_jpeg_claiming_65500x65500_is_refused_by_its_header()
    {
        // 65500 is the largest side libjpeg reads (a JPEG cannot claim 100000).
        byte[] jpeg = HeaderOnlyImages.Jpeg(65500, 65500);
        Assert.InRange(jpeg.Length, 1, 1000);
        Assert.Equal(new ImageHeader(65500, 65500, false), ImageReader.ReadHeader(jpeg, "bomb.jpg"));

        var ex = Assert.Throws<ImageReadException>(() => ImageReader.Read(jpeg, "bomb.jpg"));

        output.WriteLine(ex.Message);
        Assert.Equal(ImageReadFailure.TooManyPixels, ex.Failure);
        Assert.Contains("'bomb.jpg' is 65500x65500 (4,290,250,000 pixels)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--max-pixels 4290250000", ex.Message, StringComparison.Ordinal);

        // Raising the pixel limit leaves the other guards: one array cannot hold its 17 GB of RGBA.
        var tooLarge = Assert.Throws<ImageReadException>(() => ImageReader.Read(jpeg, "bomb.jpg", new ImageLimits { MaxPixels = long.MaxValue }));
        Assert.Equal(ImageReadFailure.TooLarge, tooLarge.Failure);
    }

    [Fact]
    public void A_jpeg_within_the_limits_is_decoded_at_the_size_its_header_gave()
    {
        // libjpeg pads the missing scan data (a warning, not an error), so the claimed size is what a decode allocates.
        byte[] jpeg = HeaderOnlyImages.Jpeg(2000, 1000);
        Assert.Equal(new ImageHeader(2000, 1000, false), ImageReader.ReadHeader(jpeg, "short.jpg"));
        RgbImage decoded = ImageReader.Read(jpeg, "short.jpg");
        Assert.Equal((2000, 1000), (decoded.Width, decoded.Height));
        Assert.Equal(ImageReadFailure.TooManyPixels, Assert.Throws<ImageReadException>(() => ImageReader.Read(jpeg, "short.jpg", new ImageLimits { MaxPixels = 1_999_999 })).Failure);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(5, true)]
    [InlineData(6, true)]
    [InlineData(8, true)]
    public void The_header_gives_the_size_as_shown_after_the_exif_orientation(int orientation, bool rotated)
    {
        // The fixtures show 24x16; the rotated ones store 16x24.
        string path = ImageFixtures.PathOf($"orient_{orientation}.jpg");
        Assert.Equal(new ImageHeader(24, 16, rotated), ImageReader.ReadHeader(path));
        RgbImage image = ImageReader.Read(path);
        Assert.Equal((24, 16), (image.Width, image.Height));
    }

    [Fact]
    public void The_limits_apply_to_the_size_as_shown()
    {
        // 384 pixels either way; the budget counts RGBA bytes and float RGB: 16 bytes a pixel.
        string path = ImageFixtures.PathOf("orient_6.jpg");
        Assert.Equal(384 * 16, ImageLimits.DecodeBytes(24, 16));
        Assert.Equal(24, ImageReader.Read(path, new ImageLimits { MaxPixels = 384, MaxDecodeBytes = 384 * 16 }).Width);
        var ex = Assert.Throws<ImageReadException>(() => ImageReader.Read(path, new ImageLimits { MaxPixels = 383 }));
        Assert.Contains("is 24x16 (384 pixels)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_errors_are_the_readers_usual_ones()
    {
        Assert.Equal(ImageReadFailure.NotFound, Assert.Throws<ImageReadException>(() => ImageReader.ReadHeader(ImageFixtures.PathOf("no-such.png"))).Failure);
        Assert.Equal(ImageReadFailure.Empty, Assert.Throws<ImageReadException>(() => ImageReader.ReadHeader([], "empty.png")).Failure);
        Assert.Equal(ImageReadFailure.UnknownFormat, Assert.Throws<ImageReadException>(() => ImageReader.ReadHeader(ImageFixtures.PathOf("not_an_image.png"))).Failure);
    }

    [Fact]
    public void Limits_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageLimits { MaxPixels = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageLimits { MaxDecodeBytes = -1 });
        Assert.Equal(178_956_970, ImageLimits.Default.MaxPixels);
        Assert.Null(ImageLimits.Default.MaxDecodeBytes);
    }
}
