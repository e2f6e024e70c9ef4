using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Transfer;

namespace NeuralStyle.Jobs;

/// <summary>The check that every image a job feeds the network is at least as large as the network can take.</summary>
internal static class JobSizes
{
    // The total variation loss averages differences between neighbouring pixels; with one row or column there are
    // none, and the average is 0/0.
    private const int TotalVariationMinimum = 2;

    /// <summary>
    /// The smallest side the run can use: what the backbone's layers in use can take (found by dry runs), and at
    /// least two pixels for the total variation loss.
    /// </summary>
    public static int MinimumSide(IFeatureNetwork network, StyleTransferSettings settings) =>
        Math.Max(TotalVariationMinimum, InputSizeProbe.MinimumSide(network, settings.LayersInUse(network.Defaults)));

    /// <summary>
    /// Refuses a content image (at its final and its coarsest scale) or a style image (after --style-scales) that is
    /// smaller than <paramref name="side"/> on either axis. Coarser scales enlarge small styles instead (see
    /// <see cref="JobScales"/>), so they need no check.
    /// </summary>
    /// <exception cref="JobSpecException">An image is too small, with the option that makes it larger.</exception>
    public static void Check(int side, StyleJobSpec spec, JobImageSizes sizes, IReadOnlyList<ScaleStep> plan)
    {
        string needs = $"the network needs at least {side}x{side} pixels for the layers in use";
        (int width, int height) = sizes.Content;
        if (TooSmall(width, height, side))
        {
            throw new JobSpecException($"the content image {spec.Content} is {width}x{height} pixels{(spec.Width is null ? "" : " after --width")}; {needs}: use a larger --width");
        }

        ScaleStep coarsest = plan[0];
        if (TooSmall(coarsest.Width, coarsest.Height, side))
        {
            throw new JobSpecException($"the coarsest scale (1 of {plan.Count}) is {coarsest.Width}x{coarsest.Height} pixels; {needs}: use a larger --min-size or fewer --scales");
        }

        for (int i = 0; i < sizes.Styles.Count; i++)
        {
            (int w, int h) = sizes.Styles[i];
            if (TooSmall(w, h, side))
            {
                throw new JobSpecException($"the style image {spec.Styles[i]} is {w}x{h} pixels after scaling to the content's width{(spec.StyleScales is null ? "" : " and --style-scales")}; {needs}: use a larger --style-scales or a larger style image");
            }
        }
    }

    /// <summary>The size of a style image shrunk by <paramref name="factor"/> for a coarser scale, enlarged (keeping its aspect) to at least <paramref name="side"/> on each axis.</summary>
    public static (int Width, int Height) CoarseStyle(RgbImage style, double factor, int side)
    {
        double scale = Math.Max(factor, Math.Max((double)side / style.Width, (double)side / style.Height));
        return (Math.Max(side, (int)Math.Round(style.Width * scale)), Math.Max(side, (int)Math.Round(style.Height * scale)));
    }

    private static bool TooSmall(int width, int height, int side) => width < side || height < side;
}
