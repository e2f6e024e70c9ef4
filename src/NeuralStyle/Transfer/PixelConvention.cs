namespace NeuralStyle.Transfer;

/// <summary>How a network expects an RGB image with values 0..255: input = (value * Scale - Mean) / Std, per channel.</summary>
/// <remarks>
/// MatConvNet's VGG files want RGB 0..255 minus a mean pixel (their converter already flipped Caffe's BGR);
/// torchvision models want RGB in 0..1 normalised by ImageNet's mean and std; CNTK's ResNet wants BGR 0..255 minus a
/// mean. <see cref="Mean"/> and <see cref="Std"/> are given in RGB order whatever <see cref="Bgr"/> says.
/// </remarks>
public sealed record PixelConvention
{
    /// <summary>A convention that only subtracts a mean pixel from RGB 0..255 (the seed's vgg.preprocess).</summary>
    public PixelConvention(float meanRed, float meanGreen, float meanBlue)
    {
        Mean = [meanRed, meanGreen, meanBlue];
    }

    /// <summary>A general convention.</summary>
    public PixelConvention(float[] mean, float[]? std, float scale, bool bgr)
    {
        if (mean.Length != 3 || std is { Length: not 3 })
        {
            throw new ArgumentException("mean and std need three values (R, G, B)");
        }

        Mean = [.. mean];
        Std = std is null ? [1, 1, 1] : [.. std];
        Scale = scale;
        Bgr = bgr;
    }

    /// <summary>Per-channel mean (RGB order), subtracted after scaling.</summary>
    public float[] Mean { get; }

    /// <summary>Per-channel divisor (RGB order).</summary>
    public float[] Std { get; } = [1, 1, 1];

    /// <summary>Factor from 0..255 to the network's range (1, or 1/255 for 0..1 networks).</summary>
    public float Scale { get; } = 1;

    /// <summary>True when the network's first input channel is blue.</summary>
    public bool Bgr { get; }

    /// <summary>True when the convention is a plain mean subtraction on RGB 0..255 (VGG from MatConvNet).</summary>
    public bool IsMeanOnly => Scale == 1 && !Bgr && Std.All(s => s == 1);

    /// <inheritdoc />
    public override string ToString() =>
        $"{(Bgr ? "BGR" : "RGB")} x {Scale:G4}, mean [{string.Join(", ", Mean.Select(m => m.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))}]"
        + (Std.All(s => s == 1) ? "" : $", std [{string.Join(", ", Std.Select(s => s.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)))}]");
}
