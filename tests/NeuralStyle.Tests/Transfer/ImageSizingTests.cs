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
}
