using NeuralStyle.Imaging;
using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Transfer;

public class SeedImageSizingTests
{
    [Fact]
    public void StyleIsScaledByScaleTimesContentWidthOverStyleWidthWithTruncation()
    {
        var content = new RgbImage(451, 300);
        var style = new RgbImage(1000, 872);
        // factor = 0.5 * 451 / 1000 = 0.2255 -> 1000 * f = 225.5 -> 225, 872 * f = 196.6 -> 196.
        RgbImage scaled = SeedImageSizing.Style(style, content, 0.5);
        Assert.Equal((225, 196), (scaled.Width, scaled.Height));
        Assert.Same(style, SeedImageSizing.Style(style, new RgbImage(1000, 10), 1.0));
    }

    [Fact]
    public void ContentWidthKeepsTheAspectAndInitialTakesTheContentSize()
    {
        RgbImage content = SeedImageSizing.Content(new RgbImage(451, 300), 256);
        Assert.Equal((256, 170), (content.Width, content.Height));
        RgbImage initial = SeedImageSizing.Initial(new RgbImage(40, 40), content);
        Assert.Equal((256, 170), (initial.Width, initial.Height));
    }
}
