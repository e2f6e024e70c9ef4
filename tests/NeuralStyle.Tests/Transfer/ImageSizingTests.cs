using NeuralStyle.Imaging;
using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Transfer;

public class ImageSizingTests
{
    [Fact]
    public void StyleIsScaledByScaleTimesContentWidthOverStyleWidthWithTruncation()
    {
        var content = new RgbImage(451, 300);
        var style = new RgbImage(1000, 872);
        // factor = 0.5 * 451 / 1000 = 0.2255 -> 1000 * f = 225.5 -> 225, 872 * f = 196.6 -> 196.
        RgbImage scaled = ImageSizing.Style(style, content, 0.5);
        Assert.Equal((225, 196), (scaled.Width, scaled.Height));
        Assert.Same(style, ImageSizing.Style(style, new RgbImage(1000, 10), 1.0));
    }

    [Fact]
    public void ContentWidthKeepsTheAspectAndInitialTakesTheContentSize()
    {
        RgbImage content = ImageSizing.Content(new RgbImage(451, 300), 256);
        Assert.Equal((256, 170), (content.Width, content.Height));
        RgbImage initial = ImageSizing.Initial(new RgbImage(40, 40), content);
        Assert.Equal((256, 170), (initial.Width, initial.Height));
    }

    [Theory]
    [InlineData(451, 300, 256)]
    [InlineData(37, 29, 1000)]
    [InlineData(1000, 3, 17)]
    public void ContentSizeIsTheSizeContentResizesTo(int width, int height, int target)
    {
        RgbImage content = ImageSizing.Content(new RgbImage(width, height), target);
        Assert.Equal((content.Width, content.Height), ImageSizing.ContentSize(width, height, target));
        Assert.Equal((width, height), ImageSizing.ContentSize(width, height, null));
    }

    [Theory]
    [InlineData(1000, 872, 451, 0.5)]
    [InlineData(37, 31, 37, 10)]
    [InlineData(640, 480, 17, 0.01)]
    public void StyleSizeIsTheSizeStyleResizesTo(int width, int height, int contentWidth, double scale)
    {
        RgbImage style = ImageSizing.Style(new RgbImage(width, height), new RgbImage(contentWidth, 5), scale);
        Assert.Equal((style.Width, style.Height), ImageSizing.StyleSize(width, height, contentWidth, scale));
    }

    [Fact]
    public void AbsurdStyleScalesGiveTheLargestSizeInsteadOfOverflowing()
    {
        Assert.Equal((int.MaxValue, int.MaxValue), ImageSizing.StyleSize(100, 100, 100, 1e12));
        Assert.Equal((int.MaxValue, int.MaxValue), ImageSizing.StyleSize(100, 100, 100, double.PositiveInfinity));
    }
}
