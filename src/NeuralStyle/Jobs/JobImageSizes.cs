using NeuralStyle.Imaging;
using NeuralStyle.Transfer;

namespace NeuralStyle.Jobs;

/// <summary>
/// The sizes a job's images will have once read and sized (after <c>--width</c> and <c>--style-scales</c>), known from
/// their headers alone: the memory check runs on them before any image is decoded or resized.
/// </summary>
/// <param name="Content">The content's size as the network sees it.</param>
/// <param name="Styles">Each style's size as the network sees it, in the spec's order.</param>
internal sealed record JobImageSizes((int Width, int Height) Content, IReadOnlyList<(int Width, int Height)> Styles)
{
    /// <summary>Reads every input's header and refuses, naming the file, an image over <paramref name="limits"/>.</summary>
    /// <exception cref="ImageReadException">An image cannot be read, or decoding it would break a limit.</exception>
    public static JobImageSizes Measure(StyleJobSpec spec, ImageLimits limits)
    {
        ImageHeader content = Header(spec.Content, limits);
        (int Width, int Height) contentSize = ImageSizing.ContentSize(content.Width, content.Height, spec.Width);
        var styles = new List<(int Width, int Height)>();
        for (int i = 0; i < spec.Styles.Count; i++)
        {
            ImageHeader style = Header(spec.Styles[i], limits);
            styles.Add(ImageSizing.StyleSize(style.Width, style.Height, contentSize.Width, spec.StyleScales?[i] ?? 1.0));
        }

        // The initial image takes the content's size; only its decode is checked.
        if (spec.Initial is not null)
        {
            _ = Header(spec.Initial, limits);
        }

        return new JobImageSizes(contentSize, styles);
    }

    private static ImageHeader Header(string path, ImageLimits limits)
    {
        ImageHeader header = ImageReader.ReadHeader(path);
        limits.Check(header, path);
        return header;
    }
}
