using NeuralStyle.Imaging;

namespace NeuralStyle.Transfer;

/// <summary>The seed's image sizing rules (neural_style.py), shared by every front end.</summary>
public static class ImageSizing
{
    /// <summary>With a width, the content is resized keeping its aspect: height = floor(H / W * width).</summary>
    public static RgbImage Content(RgbImage content, int? width) =>
        width is int w ? ImageResizer.ResizeToWidth(content, w) : content;

    /// <summary>
    /// A style image is scaled by style_scale * content_width / style_width on both axes, each size truncated as
    /// scipy.misc.imresize does with a float factor; a factor of exactly 1 leaves the pixels untouched.
    /// </summary>
    public static RgbImage Style(RgbImage style, RgbImage content, double styleScale)
    {
        double factor = styleScale * content.Width / style.Width;
        int width = Math.Max(1, (int)(style.Width * factor));
        int height = Math.Max(1, (int)(style.Height * factor));
        return width == style.Width && height == style.Height ? style : ImageResizer.Resize(style, width, height);
    }

    /// <summary>The initial image is resized to the content's size.</summary>
    public static RgbImage Initial(RgbImage initial, RgbImage content) =>
        initial.Width == content.Width && initial.Height == content.Height
            ? initial
            : ImageResizer.Resize(initial, content.Width, content.Height);
}
