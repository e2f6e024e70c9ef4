using NeuralStyle.Imaging;

namespace NeuralStyle.Quality;

/// <summary>
/// Per-pixel colour speckle: the median absolute 4-neighbour Laplacian of the chroma channels (Cb, Cr) of the picture
/// as an 8-bit image. The Laplacian is large where the colour changes from one pixel to the next; the median keeps
/// what covers most of the picture (speckle) and leaves out what covers little of it (the genuine colour edges of a
/// detailed photo, which the mean counted).
/// </summary>
/// <remarks>
/// Issue 12 defined the measure with the mean. That made a detailed content a lenient reference: the astronaut's own
/// mean chroma Laplacian at 128 px is 4.2 (flag stripes, badges, the suit's edges), so a result covered in
/// multicoloured speckle scored 0.78 and 1.18. Its median is 1.7 and those results' medians are 2.2 and 3.2, ratios 1.3
/// and 1.9 (BENCHMARKS.md). The median is the usual robust noise estimate for that reason: edges are thin, so they
/// fill the upper tail of the Laplacian's distribution, not its middle.
/// </remarks>
public static class ColorNoise
{
    /// <summary>
    /// Mean over the interior pixels (the one-pixel border has no full neighbourhood and is left out) of
    /// |4 p(x, y) − p(x−1, y) − p(x+1, y) − p(x, y−1) − p(x, y+1)|: issue 12's original statistic, kept for comparison.
    /// </summary>
    /// <exception cref="ArgumentException">The plane is smaller than 3x3 (no interior).</exception>
    public static double MeanAbsoluteLaplacian(GreyPlane plane) => AbsoluteLaplacian(plane).Average();

    /// <summary>
    /// The median over the interior pixels of the same |Laplacian| (the mean of the two middle values when their number
    /// is even, as numpy's <c>median</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The plane is smaller than 3x3 (no interior).</exception>
    public static double MedianAbsoluteLaplacian(GreyPlane plane)
    {
        double[] values = AbsoluteLaplacian(plane);
        Array.Sort(values);
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /// <summary>
    /// The mean of <see cref="MedianAbsoluteLaplacian"/> over the Cb and Cr channels of the image rounded to 8 bits
    /// (clipped to 0..255, rounded to the nearest integer).
    /// </summary>
    /// <remarks>
    /// Every result is measured as the PNG a user gets, and 8-bit rounding alone gives a smooth colour gradient a
    /// median chroma Laplacian of about 0.5; the inputs, resized in float, have none of it. Rounding them too compares
    /// like with like (an image that is already 8-bit is unchanged).
    /// </remarks>
    public static double Of(RgbImage image)
    {
        RgbImage rounded = RoundedTo8Bits(image);
        return (MedianAbsoluteLaplacian(GreyPlane.Cb(rounded)) + MedianAbsoluteLaplacian(GreyPlane.Cr(rounded))) / 2;
    }

    /// <summary>
    /// The smallest reference the ratio divides by. Grey inputs have no chroma at all (0), which would make any colour
    /// in the result an unbounded ratio; the colour photos of examples/ lie between 0.9 and 2.5 at 128 px (rocket,
    /// coffee) and the colour styles between 1.1 and 1.5, so 1 is at or below every real colour input and keeps grey
    /// pairs on the same scale.
    /// </summary>
    public const double MinimumReference = 1.0;

    /// <summary>
    /// The result's chroma noise divided by the larger of the content's, the style's and
    /// <see cref="MinimumReference"/>: 1 means the result has no more speckle than the noisier input. The style should
    /// be given at the size the transfer used it.
    /// </summary>
    public static double Ratio(RgbImage result, RgbImage content, RgbImage style) =>
        Of(result) / Math.Max(MinimumReference, Math.Max(Of(content), Of(style)));

    private static double[] AbsoluteLaplacian(GreyPlane plane)
    {
        ArgumentNullException.ThrowIfNull(plane);
        if (plane.Width < 3 || plane.Height < 3)
        {
            throw new ArgumentException($"The Laplacian needs at least 3x3 pixels, got {plane.Width}x{plane.Height}.", nameof(plane));
        }

        int w = plane.Width;
        double[] v = plane.Values;
        var result = new double[(w - 2) * (plane.Height - 2)];
        int k = 0;
        for (int y = 1; y < plane.Height - 1; y++)
        {
            for (int x = 1; x < w - 1; x++)
            {
                int i = (y * w) + x;
                result[k++] = Math.Abs((4 * v[i]) - v[i - 1] - v[i + 1] - v[i - w] - v[i + w]);
            }
        }

        return result;
    }

    private static RgbImage RoundedTo8Bits(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return RgbImage.FromBytes(image.Width, image.Height, image.ToBytesClipped());
    }
}
