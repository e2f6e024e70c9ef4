using NeuralStyle.Imaging;

namespace NeuralStyle.Transfer;

/// <summary>The seed's image sizing rules (neural_style.py), shared by every front end.</summary>
/// <remarks>
/// Each rule exists twice: on sizes alone (<see cref="ContentSize"/>, <see cref="StyleSize"/>), so that a job knows
/// every size from the images' headers before it decodes or allocates anything, and on images, which resizes.
/// </remarks>
public static class ImageSizing
{
    /// <summary>With a width, the content is resized keeping its aspect: height = floor(H / W * width).</summary>
    public static RgbImage Content(RgbImage content, int? width) =>
        width is int w ? ImageResizer.ResizeToWidth(content, w) : content;

    /// <summary>The size <see cref="Content"/> gives a <paramref name="width"/> x <paramref name="height"/> content.</summary>
    public static (int Width, int Height) ContentSize(int width, int height, int? targetWidth) =>
        targetWidth is int w ? (w, ImageResizer.HeightForWidth(width, height, w)) : (width, height);

    /// <summary>
    /// A style image is scaled by style_scale * content_width / style_width on both axes, each size truncated as
    /// scipy.misc.imresize does with a float factor; a factor of exactly 1 leaves the pixels untouched.
    /// </summary>
    public static RgbImage Style(RgbImage style, RgbImage content, double styleScale)
    {
        ArgumentNullException.ThrowIfNull(style);
        ArgumentNullException.ThrowIfNull(content);
        (int width, int height) = StyleSize(style.Width, style.Height, content.Width, styleScale);
        return width == style.Width && height == style.Height ? style : ImageResizer.Resize(style, width, height);
    }

    /// <summary>The size <see cref="Style"/> gives a <paramref name="width"/> x <paramref name="height"/> style next to a content <paramref name="contentWidth"/> wide.</summary>
    /// <remarks>Each side is at least 1 and, for absurd scales, at most <see cref="int.MaxValue"/> (which no memory budget admits).</remarks>
    public static (int Width, int Height) StyleSize(int width, int height, int contentWidth, double styleScale)
    {
        double factor = styleScale * contentWidth / width;
        return (Side(width * factor), Side(height * factor));
    }

    /// <summary>The initial image is resized to the content's size.</summary>
    public static RgbImage Initial(RgbImage initial, RgbImage content) =>
        initial.Width == content.Width && initial.Height == content.Height
            ? initial
            : ImageResizer.Resize(initial, content.Width, content.Height);

    private static int Side(double size) => (int)Math.Clamp(Math.Truncate(size), 1, int.MaxValue);
}
