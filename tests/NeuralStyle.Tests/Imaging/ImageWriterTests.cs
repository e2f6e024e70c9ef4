using NeuralStyle.Imaging;
using Xunit;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Imaging;

public sealed class ImageWriterTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("neuralstyle-imaging-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData("out.png")]
    [InlineData("OUT.PNG")]
    public void PngRoundTripIsExact(string name)
    {
        var image = Noise(13, 7, seed: 1);
        var path = Path.Combine(_dir.FullName, name);

        ImageWriter.Write(image, path, overwrite: false);

        var back = ImageReader.Read(path);
        Assert.Equal(image.Width, back.Width);
        Assert.Equal(image.Height, back.Height);
        Assert.Equal(image.ToBytesClipped().Select(b => (float)b), back.Pixels);
    }

    [Fact]
    public void ValuesAreRoundedAndClippedToEightBits()
    {
        var image = new RgbImage(2, 2, [-5f, 300f, 127.5f, 127.49f, float.NaN, 254.6f, 0.4f, 0.5f, 255f, 1e9f, -1e9f, 42f]);
        var path = Path.Combine(_dir.FullName, "clip.png");

        ImageWriter.Write(image, path, overwrite: false);

        Assert.Equal([0f, 255f, 128f, 127f, 0f, 255f, 0f, 1f, 255f, 255f, 0f, 42f], ImageReader.Read(path).Pixels);
    }

    [Theory]
    [InlineData("out.jpg", 95, 3.0)]
    [InlineData("out.jpeg", 80, 6.0)]
    [InlineData("out.webp", 95, 4.0)]
    public void LossyFormatsRoundTripClosely(string name, int quality, double maxMeanError)
    {
        var image = Smooth(48, 32);
        var path = Path.Combine(_dir.FullName, name);

        ImageWriter.Write(image, path, overwrite: false, quality);

        var stats = ImageFixtures.Compare(ImageReader.Read(path), image);
        output.WriteLine($"{name} q{quality}: {stats}");
        Assert.True(stats.Mean <= maxMeanError, stats.ToString());
        Assert.True(stats.Max <= 40, stats.ToString());
    }

    [Fact]
    public void JpegIsWrittenAsJpegAndWebPAsWebP()
    {
        var image = Smooth(8, 8);
        var jpeg = Path.Combine(_dir.FullName, "a.jpg");
        var webp = Path.Combine(_dir.FullName, "a.webp");

        ImageWriter.Write(image, jpeg, overwrite: false);
        ImageWriter.Write(image, webp, overwrite: false);

        Assert.Equal([0xFF, 0xD8, 0xFF], File.ReadAllBytes(jpeg)[..3]);
        Assert.Equal("RIFF"u8.ToArray(), File.ReadAllBytes(webp)[..4]);
        Assert.Equal("WEBP"u8.ToArray(), File.ReadAllBytes(webp)[8..12]);
    }

    [Fact]
    public void ExistingFileIsNotReplacedWithoutOverwrite()
    {
        var path = Path.Combine(_dir.FullName, "exists.png");
        File.WriteAllText(path, "keep me");

        var ex = Assert.Throws<IOException>(() => ImageWriter.Write(Noise(3, 3, 2), path, overwrite: false));

        Assert.Equal($"{path} already exists (use --overwrite to replace it)", ex.Message);
        Assert.Equal("keep me", File.ReadAllText(path));
        AssertOnlyFiles("exists.png");
    }

    [Fact]
    public void ExistingFileIsReplacedWithOverwrite()
    {
        var path = Path.Combine(_dir.FullName, "exists.png");
        File.WriteAllText(path, "replace me");
        var image = Noise(3, 3, 3);

        ImageWriter.Write(image, path, overwrite: true);

        Assert.Equal(image.ToBytesClipped().Select(b => (float)b), ImageReader.Read(path).Pixels);
        AssertOnlyFiles("exists.png");
    }

    [Fact]
    public void TemporaryFileIsRemovedWhenWritingFails()
    {
        var path = Path.Combine(_dir.FullName, "fails.png");
        string? tempPath = null;

        var ex = Assert.Throws<InvalidOperationException>(() => ImageWriter.Write(
            Noise(4, 4, 4), path, overwrite: false, jpegQuality: 95, beforeRename: temp =>
            {
                tempPath = temp;
                Assert.True(File.Exists(temp));
                Assert.Equal(_dir.FullName, Path.GetDirectoryName(temp));
                throw new InvalidOperationException("simulated failure");
            }));

        Assert.Equal("simulated failure", ex.Message);
        Assert.NotNull(tempPath);
        Assert.False(File.Exists(tempPath));
        AssertOnlyFiles();
    }

    [Fact]
    public void FailureLeavesAnExistingTargetIntact()
    {
        var path = Path.Combine(_dir.FullName, "precious.png");
        File.WriteAllText(path, "old");

        Assert.Throws<InvalidOperationException>(() => ImageWriter.Write(
            Noise(4, 4, 5), path, overwrite: true, jpegQuality: 95, beforeRename: _ => throw new InvalidOperationException()));

        Assert.Equal("old", File.ReadAllText(path));
        AssertOnlyFiles("precious.png");
    }

    [Fact]
    public void TargetCreatedDuringTheWriteIsNotClobbered()
    {
        var path = Path.Combine(_dir.FullName, "race.png");

        var ex = Assert.Throws<IOException>(() => ImageWriter.Write(
            Noise(4, 4, 6), path, overwrite: false, jpegQuality: 95, beforeRename: _ => File.WriteAllText(path, "other writer")));

        Assert.Contains("already exists", ex.Message);
        Assert.Equal("other writer", File.ReadAllText(path));
        AssertOnlyFiles("race.png");
    }

    [Fact]
    public void UnwritableDirectoryFailsWithANamedError()
    {
        // Directory permissions do not stop root (CI runs as root), but nobody can create files in procfs.
        var path = "/proc/self/out.png";
        var ex = Assert.ThrowsAny<IOException>(() => ImageWriter.Write(Noise(2, 2, 7), path, overwrite: false));

        output.WriteLine(ex.Message);
        Assert.Contains(path, ex.Message);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("out.bmp", "'.bmp'")]
    [InlineData("out.tiff", "'.tiff'")]
    [InlineData("out", "no extension")]
    public void UnsupportedExtensionsAreRejectedByName(string name, string mentioned)
    {
        var path = Path.Combine(_dir.FullName, name);

        var ex = Assert.Throws<ArgumentException>(() => ImageWriter.Write(Noise(2, 2, 8), path, overwrite: true));

        Assert.Contains(mentioned, ex.Message);
        Assert.Contains(".png, .jpg, .jpeg, .webp", ex.Message);
        Assert.False(ImageWriter.IsSupportedExtension(path));
        AssertOnlyFiles();
    }

    [Fact]
    public void MissingDirectoryIsNotCreated()
    {
        var missing = Path.Combine(_dir.FullName, "missing", "deeper");
        var path = Path.Combine(missing, "out.png");

        var ex = Assert.Throws<DirectoryNotFoundException>(() => ImageWriter.Write(Noise(2, 2, 9), path, overwrite: false));

        Assert.Contains(path, ex.Message);
        Assert.Contains("does not exist", ex.Message);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void DirectoryTargetIsRejected()
    {
        var path = Path.Combine(_dir.FullName, "dir.png");
        Directory.CreateDirectory(path);

        var ex = Assert.Throws<IOException>(() => ImageWriter.Write(Noise(2, 2, 10), path, overwrite: true));

        Assert.Contains("is a directory", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void JpegQualityOutsideOneToHundredIsRejected(int quality)
    {
        var path = Path.Combine(_dir.FullName, "q.jpg");

        Assert.Throws<ArgumentOutOfRangeException>(() => ImageWriter.Write(Noise(2, 2, 11), path, false, quality));
    }

    [Fact]
    public void EnsureWritableReportsTheSameProblemsUpFront()
    {
        var existing = Path.Combine(_dir.FullName, "e.jpg");
        File.WriteAllText(existing, "x");

        ImageWriter.EnsureWritable(Path.Combine(_dir.FullName, "new.webp"), overwrite: false);
        ImageWriter.EnsureWritable(existing, overwrite: true);
        Assert.Throws<IOException>(() => ImageWriter.EnsureWritable(existing, overwrite: false));
        Assert.Throws<ArgumentException>(() => ImageWriter.EnsureWritable(Path.Combine(_dir.FullName, "x.gif"), true));
        Assert.Throws<DirectoryNotFoundException>(
            () => ImageWriter.EnsureWritable(Path.Combine(_dir.FullName, "nope", "x.png"), true));
        AssertOnlyFiles("e.jpg");
    }

    private void AssertOnlyFiles(params string[] names) =>
        Assert.Equal(names.Order(), _dir.GetFiles().Select(f => f.Name).Order());

    private static RgbImage Noise(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new RgbImage(width, height);
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            image.Pixels[i] = (float)((random.NextDouble() * 300) - 20);
        }

        return image;
    }

    private static RgbImage Smooth(int width, int height)
    {
        var image = new RgbImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y, 0] = 255f * x / (width - 1);
                image[x, y, 1] = 255f * y / (height - 1);
                image[x, y, 2] = 128f + (100f * MathF.Sin((x + y) / 6f));
            }
        }

        return image;
    }
}
