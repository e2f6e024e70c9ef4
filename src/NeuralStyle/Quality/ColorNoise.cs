using NeuralStyle.Imaging;

namespace NeuralStyle.Quality;

/// <summary>
/// Per-pixel colour speckle: the mean absolute 4-neighbour Laplacian of the chroma channels (Cb, Cr), which is large
/// where the colour changes from one pixel to the next and small in smooth colour and at clean edges.
/// </summary>
public static class ColorNoise
{
    /// <summary>
    /// Mean over the interior pixels (the one-pixel border has no full neighbourhood and is left out) of
    /// |4 p(x, y) − p(x−1, y) − p(x+1, y) − p(x, y−1) − p(x, y+1)|.
    /// </summary>
    /// <exception cref="ArgumentException">The plane is smaller than 3x3 (no interior).</exception>
    public static double MeanAbsoluteLaplacian(GreyPlane plane)
    {
        ArgumentNullException.ThrowIfNull(plane);
        if (plane.Width < 3 || plane.Height < 3)
        {
            throw new ArgumentException($"The Laplacian needs at least 3x3 pixels, got {plane.Width}x{plane.Height}.", nameof(plane));
        }

        double sum = 0;
        int w = plane.Width;
        double[] v = plane.Values;
        for (int y = 1; y < plane.Height - 1; y++)
        {
            for (int x = 1; x < w - 1; x++)
            {
                int i = (y * w) + x;
                sum += Math.Abs((4 * v[i]) - v[i - 1] - v[i + 1] - v[i - w] - v[i + w]);
            }
        }

        return sum / ((double)(w - 2) * (plane.Height - 2));
    }

    /// <summary>The mean of <see cref="MeanAbsoluteLaplacian"/> over the image's Cb and Cr channels.</summary>
    public static double Of(RgbImage image) =>
        (MeanAbsoluteLaplacian(GreyPlane.Cb(image)) + MeanAbsoluteLaplacian(GreyPlane.Cr(image))) / 2;

    /// <summary>
    /// The smallest reference the ratio divides by. Grey inputs have no chroma at all (about 0), which would make any
    /// colour in the result an unbounded ratio; the colour photos of examples/ lie between 1.6 and 4.8 at 128 and
    /// 256 px, so 1 is below every real colour input and keeps grey pairs on the same scale.
    /// </summary>
    public const double MinimumReference = 1.0;

    /// <summary>
    /// The result's chroma noise divided by the larger of the content's, the style's and
    /// <see cref="MinimumReference"/>: 1 means the result has no more speckle than the noisier input. The style should
    /// be given at the size the transfer used it.
    /// </summary>
    public static double Ratio(RgbImage result, RgbImage content, RgbImage style) =>
        Of(result) / Math.Max(MinimumReference, Math.Max(Of(content), Of(style)));
}
