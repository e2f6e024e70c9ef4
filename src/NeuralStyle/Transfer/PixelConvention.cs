namespace NeuralStyle.Transfer;

/// <summary>The input convention of a network: RGB values in 0..255 minus a mean pixel.</summary>
/// <remarks>MatConvNet's VGG files expect exactly this (their converter already flipped Caffe's BGR to RGB).</remarks>
public sealed record PixelConvention(float MeanRed, float MeanGreen, float MeanBlue)
{
    /// <summary>The mean pixel as an array in RGB order.</summary>
    public float[] Mean => [MeanRed, MeanGreen, MeanBlue];
}
