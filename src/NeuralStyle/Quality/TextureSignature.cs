using NeuralStyle.Imaging;

namespace NeuralStyle.Quality;

/// <summary>
/// Texture as the uniform LBP histograms of the luminance at radii 1, 2 and 4, concatenated (30 bins, each radius's
/// 10 bins summing to 1, so each radius counts equally in the chi-square distance).
/// </summary>
public static class TextureSignature
{
    /// <summary>The radii, fine to coarse.</summary>
    public static IReadOnlyList<double> Radii { get; } = [1, 2, 4];

    /// <summary>The 30-bin signature of the image's luminance.</summary>
    public static double[] Of(RgbImage image) => Of(GreyPlane.Luminance(image));

    /// <summary>The 30-bin signature of a plane.</summary>
    public static double[] Of(GreyPlane plane) => [.. Radii.SelectMany(r => LocalBinaryPattern.Histogram(plane, r))];
}
