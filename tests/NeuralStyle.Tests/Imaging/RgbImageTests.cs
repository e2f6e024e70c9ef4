using NeuralStyle.Imaging;
using Xunit;

namespace NeuralStyle.Tests.Imaging;

public sealed class RgbImageTests
{
    [Fact]
    public void PixelsAreInterleavedRowMajor()
    {
        var image = new RgbImage(3, 2);

        image[2, 1, 1] = 7f;

        Assert.Equal(7f, image.Pixels[(((1 * 3) + 2) * 3) + 1]);
        Assert.Equal(18, image.Pixels.Length);
    }

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(1, 0, 0)]
    [InlineData(-1, 2, 6)]
    [InlineData(2, 2, 11)]
    [InlineData(2, 2, 13)]
    public void InvalidSizesOrBufferLengthsAreRejected(int width, int height, int length)
    {
        Assert.ThrowsAny<ArgumentException>(() => new RgbImage(width, height, new float[length]));
    }

    [Fact]
    public void HugeSizesAreRejectedWithoutOverflow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbImage(100_000, 100_000));
    }

    [Fact]
    public void ConstructorTakesOwnershipAndCloneCopies()
    {
        var pixels = new float[12];
        var image = new RgbImage(2, 2, pixels);
        var clone = image.Clone();

        pixels[0] = 5f;

        Assert.Equal(5f, image[0, 0, 0]);
        Assert.Equal(0f, clone[0, 0, 0]);
        Assert.NotSame(image.Pixels, clone.Pixels);
    }

    [Fact]
    public void ToBytesClippedRoundsToNearestAndClips()
    {
        var image = new RgbImage(2, 2, [-0.6f, 0.49f, 0.5f, 1.5f, 254.49f, 254.5f, 255.7f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 100.2f, 99.8f]);

        Assert.Equal(new byte[] { 0, 0, 1, 2, 254, 255, 255, 0, 255, 0, 100, 100 }, image.ToBytesClipped());
    }

    [Fact]
    public void IndexerRejectsOutOfRangeCoordinates()
    {
        var image = new RgbImage(2, 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => image[2, 0, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image[0, 0, 3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image[0, -1, 0]);
    }

    [Fact]
    public void FromBytesRoundTripsThroughToBytesClipped()
    {
        byte[] bytes = [0, 1, 2, 253, 254, 255];

        Assert.Equal(bytes, RgbImage.FromBytes(2, 1, bytes).ToBytesClipped());
        Assert.Throws<ArgumentException>(() => RgbImage.FromBytes(2, 2, bytes));
    }
}
