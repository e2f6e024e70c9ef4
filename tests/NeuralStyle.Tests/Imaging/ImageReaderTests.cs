using NeuralStyle.Imaging;
using Xunit;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Imaging;

public sealed class ImageReaderTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("rgb.png", "rgb.expected.ppm")]
    [InlineData("gray.png", "gray.expected.ppm")]
    [InlineData("gray_alpha.png", "gray_alpha.expected.ppm")]
    [InlineData("palette.png", "palette.expected.ppm")]
    [InlineData("palette_trns.png", "palette_trns.expected.ppm")]
    [InlineData("rgba.png", "rgba.expected.ppm")]
    [InlineData("lossless.webp", "lossless.expected.ppm")]
    [InlineData("rgba_lossless.webp", "rgba_lossless.expected.ppm")]
    [InlineData("rgb.bmp", "rgb_bmp.expected.ppm")]
    [InlineData("animated.gif", "animated_gif.expected.ppm")]
    public void LosslessFormatsDecodeExactlyAsPilConvertRgb(string file, string expected)
    {
        var image = ImageReader.Read(ImageFixtures.PathOf(file));

        var stats = ImageFixtures.Compare(image, ImageFixtures.ReadPpm(expected));
        output.WriteLine($"{file}: {stats}");
        Assert.Equal(0, stats.Max);
    }

    [Theory]
    [InlineData("rgb16.png", "rgb16.expected.ppm")]
    [InlineData("gray16.png", "gray16.expected.ppm")]
    public void SixteenBitPngsAreReducedToTheNearestEightBitLevel(string file, string expected)
    {
        var image = ImageReader.Read(ImageFixtures.PathOf(file));

        var stats = ImageFixtures.Compare(image, ImageFixtures.ReadPpm(expected));
        output.WriteLine($"{file}: {stats}");
        Assert.True(stats.Max <= 1, stats.ToString());
        Assert.All(image.Pixels, v => Assert.InRange(v, 0f, 255f));
    }

    [Theory]
    [InlineData("jpeg444.jpg", "jpeg444.expected.ppm", 1)]
    [InlineData("jpeg420.jpg", "jpeg420.expected.ppm", 1)]
    [InlineData("jpeg_gray.jpg", "jpeg_gray.expected.ppm", 1)]
    [InlineData("lossy.webp", "lossy.expected.ppm", 1)]
    public void LossyFormatsDecodeCloseToPil(string file, string expected, int maxError)
    {
        var image = ImageReader.Read(ImageFixtures.PathOf(file));

        var stats = ImageFixtures.Compare(image, ImageFixtures.ReadPpm(expected));
        output.WriteLine($"{file}: {stats}");
        Assert.True(stats.Max <= maxError, stats.ToString());
    }

    [Fact]
    public void SemiTransparentPixelsKeepTheirStoredColourInsteadOfBeingPremultiplied()
    {
        var image = ImageReader.Read(ImageFixtures.PathOf("rgba.png"));

        // Stored as (200, 100, 50) with alpha 0, 1 and 128, and (255, 255, 255) with alpha 64.
        for (var x = 0; x < 3; x++)
        {
            Assert.Equal([200f, 100f, 50f], Pixel(image, x, 0));
        }

        Assert.Equal([255f, 255f, 255f], Pixel(image, 3, 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void ExifOrientationIsApplied(int orientation)
    {
        var image = ImageReader.Read(ImageFixtures.PathOf($"orient_{orientation}.jpg"));

        // The visual image is 3x2 blocks of 8x8 pixels, each block one colour (see the fixture script).
        var expected = ImageFixtures.ReadPpm("orient.expected.ppm");
        Assert.Equal(24, image.Width);
        Assert.Equal(16, image.Height);
        for (var by = 0; by < 2; by++)
        {
            for (var bx = 0; bx < 3; bx++)
            {
                var actual = Pixel(image, (bx * 8) + 4, (by * 8) + 4);
                var wanted = Pixel(expected, (bx * 8) + 4, (by * 8) + 4);
                for (var c = 0; c < 3; c++)
                {
                    Assert.InRange(actual[c], wanted[c] - 10, wanted[c] + 10);
                }
            }
        }

        var stats = ImageFixtures.Compare(image, expected);
        output.WriteLine($"orientation {orientation}: {stats}");
        Assert.True(stats.Max <= 24, stats.ToString());
    }

    [Fact]
    public void StreamAndByteOverloadsDecodeLikeThePathOverload()
    {
        var path = ImageFixtures.PathOf("orient_6.jpg");
        var fromPath = ImageReader.Read(path);

        using var stream = File.OpenRead(path);
        var fromStream = ImageReader.Read(stream, "orient_6.jpg");
        var fromBytes = ImageReader.Read(File.ReadAllBytes(path), "orient_6.jpg");

        Assert.Equal(fromPath.Pixels, fromStream.Pixels);
        Assert.Equal(fromPath.Pixels, fromBytes.Pixels);
        Assert.Equal(fromPath.Width, fromStream.Width);
    }

    [Fact]
    public void MissingFileIsReportedAsNotExisting()
    {
        var path = Path.Combine(ImageFixtures.Directory, "no-such-image.png");

        var ex = Assert.Throws<ImageReadException>(() => ImageReader.Read(path));

        Assert.Equal(ImageReadFailure.NotFound, ex.Failure);
        Assert.Contains(path, ex.Message);
        Assert.Contains("does not exist", ex.Message);
        Assert.IsAssignableFrom<IOException>(ex);
    }

    [Fact]
    public void MissingDirectoryIsReportedAsNotExisting()
    {
        var path = Path.Combine(ImageFixtures.Directory, "no-such-dir", "image.png");

        var ex = Assert.Throws<ImageReadException>(() => ImageReader.Read(path));

        Assert.Equal(ImageReadFailure.NotFound, ex.Failure);
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void DirectoryIsNotAnImage()
    {
        var ex = Assert.Throws<ImageReadException>(() => ImageReader.Read(ImageFixtures.Directory));

        Assert.Equal(ImageReadFailure.NotAFile, ex.Failure);
        Assert.Contains("is a directory", ex.Message);
    }

    [Fact]
    public void TextFileIsAnUnknownFormat()
    {
        var path = ImageFixtures.PathOf("not_an_image.png");

        var ex = Assert.Throws<ImageReadException>(() => ImageReader.Read(path));

        Assert.Equal(ImageReadFailure.UnknownFormat, ex.Failure);
        Assert.Contains(path, ex.Message);
        Assert.Contains("is not an image SkiaSharp can decode (unknown format)", ex.Message);
    }

    [Theory]
    [InlineData("truncated.png")]
    [InlineData("truncated.jpg")]
    public void TruncatedFilesAreReportedAsCorrupt(string file)
    {
        var path = ImageFixtures.PathOf(file);

        var ex = Assert.Throws<ImageReadException>(() => ImageReader.Read(path));

        output.WriteLine(ex.Message);
        Assert.Equal(ImageReadFailure.Corrupt, ex.Failure);
        Assert.Contains(path, ex.Message);
        Assert.Contains("is truncated or corrupt", ex.Message);
    }

    [Fact]
    public void EmptyFileIsReported()
    {
        var ex = Assert.Throws<ImageReadException>(() => ImageReader.Read([], "empty.png"));

        Assert.Equal(ImageReadFailure.Empty, ex.Failure);
        Assert.Contains("'empty.png' is empty", ex.Message);
    }

    [Fact]
    public void HeaderOnlyPngIsCorrupt()
    {
        var png = File.ReadAllBytes(ImageFixtures.PathOf("rgb.png"));

        var ex = Assert.Throws<ImageReadException>(() => ImageReader.Read(png[..20], "header.png"));

        output.WriteLine(ex.Message);
        Assert.Equal(ImageReadFailure.Corrupt, ex.Failure);
    }

    [Fact]
    public void DamagedPixelDataIsCorrupt()
    {
        var png = File.ReadAllBytes(ImageFixtures.PathOf("resize_src.png"));
        // Overwrite the middle of the compressed data: the zlib stream and the chunk CRC both break.
        for (var i = png.Length / 2; i < (png.Length / 2) + 64; i++)
        {
            png[i] ^= 0x5A;
        }

        var ex = Assert.Throws<ImageReadException>(() => ImageReader.Read(png, "damaged.png"));

        output.WriteLine(ex.Message);
        Assert.Equal(ImageReadFailure.Corrupt, ex.Failure);
    }

    private static float[] Pixel(RgbImage image, int x, int y) =>
        [image[x, y, 0], image[x, y, 1], image[x, y, 2]];
}
