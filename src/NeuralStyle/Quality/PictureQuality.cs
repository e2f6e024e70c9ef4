using NeuralStyle.Imaging;

namespace NeuralStyle.Quality;

/// <summary>
/// Network-free measures of a style-transfer result against its content and style (issue 12's quality benchmark).
/// </summary>
/// <param name="ColorNoise">Chroma speckle relative to the noisier input (<see cref="Quality.ColorNoise.Ratio"/>); 1 = none added.</param>
/// <param name="Structure">Layout kept and visible (<see cref="StructureSimilarity"/>); 1 = the content's at its contrast.</param>
/// <param name="Texture">LBP distance to the style relative to the content's (<see cref="TextureSignature"/>); lower = more of the style's texture.</param>
/// <param name="Color">RGB palette distance to the style relative to the content's (<see cref="ColorDistance"/>); lower = more of the style's palette.</param>
/// <param name="Grid">Dot grid at the network's strides 8 and 16 (<see cref="StrideGrid"/>); about 1 = no grid.</param>
public sealed record PictureQuality(double ColorNoise, double Structure, double Texture, double Color, double Grid)
{
    /// <summary>
    /// Measures <paramref name="result"/>; <paramref name="content"/> must have its size, and <paramref name="style"/>
    /// should be at the size the transfer used it (the histograms are shares, so its size may differ).
    /// </summary>
    /// <exception cref="ArgumentException">The result is smaller than <see cref="StrideGrid"/> needs (34x34).</exception>
    public static PictureQuality Measure(RgbImage result, RgbImage content, RgbImage style)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(style);
        double[] styleTexture = TextureSignature.Of(style);
        return new PictureQuality(
            Quality.ColorNoise.Ratio(result, content, style),
            StructureSimilarity.Of(result, content),
            ChiSquare.Ratio(TextureSignature.Of(result), TextureSignature.Of(content), styleTexture),
            ColorDistance.Ratio(result, content, style),
            StrideGrid.Of(result));
    }
}
