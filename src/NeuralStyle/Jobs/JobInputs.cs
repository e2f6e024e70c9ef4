using NeuralStyle.Imaging;
using NeuralStyle.Transfer;

namespace NeuralStyle.Jobs;

/// <summary>The images a job runs on: read, sized as neural_style.py sizes them, colour-prepared.</summary>
/// <param name="Content">The content as the network sees it (luminance only with that option).</param>
/// <param name="Styles">The styles as the network sees them.</param>
/// <param name="Initial">The initial image, or null.</param>
/// <param name="Original">The sized content in colour, for recombining the result's colours.</param>
internal sealed record JobInputs(RgbImage Content, IReadOnlyList<RgbImage> Styles, RgbImage? Initial, RgbImage Original)
{
    /// <summary>The limits every input image is read with: the spec's pixel limit, and <paramref name="budget"/> for one decode.</summary>
    public static ImageLimits Limits(StyleJobSpec spec, JobMemory.Budget? budget) =>
        new() { MaxPixels = spec.MaxPixels, MaxDecodeBytes = budget?.Bytes, DecodeBudgetName = budget?.Name ?? "allowed" };

    /// <summary>Decodes and sizes the images; the job has checked their headers (<see cref="JobImageSizes"/>) and the memory first.</summary>
    public static JobInputs Read(StyleJobSpec spec, ImageLimits limits)
    {
        RgbImage content = ImageSizing.Content(ImageReader.Read(spec.Content, limits), spec.Width);
        List<RgbImage> styles = [];
        for (int i = 0; i < spec.Styles.Count; i++)
        {
            double scale = spec.StyleScales?[i] ?? 1.0;
            styles.Add(ImageSizing.Style(ImageReader.Read(spec.Styles[i], limits), content, scale));
        }

        RgbImage? initial = spec.Initial is null ? null : ImageSizing.Initial(ImageReader.Read(spec.Initial, limits), content);
        RgbImage original = content;
        if (spec.ColorTransfer is ColorTransferMethod method)
        {
            styles = [.. styles.Select(style => ColorTransfer.MatchStyleToContent(style, content, method))];
        }

        if (spec.LuminanceOnly)
        {
            // The network sees grey images: the content's luminance, each style's luminance matched to it.
            RgbImage contentLuma = LuminanceTransfer.Luminance(content);
            styles = [.. styles.Select(style => LuminanceTransfer.MatchLuminance(LuminanceTransfer.Luminance(style), contentLuma))];
            initial = initial is null ? null : LuminanceTransfer.Luminance(initial);
            content = contentLuma;
        }

        return new JobInputs(content, styles, initial, original);
    }

    /// <summary>The picture the user gets from an engine image: the colour options applied.</summary>
    public RgbImage Finish(StyleJobSpec spec, RgbImage image) =>
        spec.LuminanceOnly ? LuminanceTransfer.Recombine(image, Original)
        : spec.PreserveColors ? ColorTransforms.PreserveContentColors(image, Original)
        : image;
}
