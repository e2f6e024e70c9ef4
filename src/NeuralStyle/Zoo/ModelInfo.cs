namespace NeuralStyle.Zoo;

/// <summary>What the zoo knows about a model before building it: its origin and the reference figures ours are tested against.</summary>
/// <param name="Name">Zoo name (torchvision's where it has one: "resnet50", "vgg16_bn").</param>
/// <param name="Family">Family ("ResNet", "VGG", ...).</param>
/// <param name="Year">Year of the paper.</param>
/// <param name="Input">Canonical input, channels x height x width.</param>
/// <param name="Classes">Output classes of the canonical configuration.</param>
/// <param name="Parameters">The reference implementation's exact parameter count (architectures.md).</param>
/// <param name="MultiplyAdds">The reference multiply-adds at <paramref name="Input"/> (torchvision's "GFLOPS" are multiply-adds); 0 when none is published.</param>
/// <param name="Accuracy">Published accuracy, as text ("69.76 / 89.08 top-1 / top-5, torchvision").</param>
/// <param name="Reference">The implementation whose state-dict keys we match ("torchvision 0.14", "Cadene pretrainedmodels bninception", ...).</param>
/// <param name="Preprocessing">How an image becomes this model's input (for classify).</param>
/// <param name="StyleLayout">How the model's layers serve as a style-transfer backbone (see NeuralStyle.Backbones.ZooBackboneLayers).</param>
public sealed record ModelInfo(
    string Name,
    string Family,
    int Year,
    InputShape Input,
    int Classes,
    long Parameters,
    double MultiplyAdds,
    string Accuracy,
    string Reference,
    ImagePreprocessing Preprocessing,
    StyleTransferLayout StyleLayout = StyleTransferLayout.EncoderStages);

/// <summary>A zoo model's hint for style transfer: which default layers and loss weights suit it.</summary>
public enum StyleTransferLayout
{
    /// <summary>Its encoder split into stages of similar resolution: style on each stage's last layer, content mid-way in the second-to-last, with smoothing.</summary>
    EncoderStages,

    /// <summary>VGG's seed layers by their aliases (relu1_1 .. relu5_1, content relu4_2), no smoothing.</summary>
    Vgg,

    /// <summary>torchvision's ResNet stages: the bundled ResNet-18's choice of blocks, with smoothing.</summary>
    ResNet,
}

/// <summary>A channels x height x width input size.</summary>
public readonly record struct InputShape(int Channels, int Height, int Width)
{
    /// <inheritdoc />
    public override string ToString() => $"{Channels}x{Height}x{Width}";

    /// <summary>Parses "CxHxW" (for example "3x224x224").</summary>
    public static InputShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('x', 'X');
        if (parts.Length != 3 || !int.TryParse(parts[0], out int c) || !int.TryParse(parts[1], out int h) || !int.TryParse(parts[2], out int w) || c < 1 || h < 1 || w < 1)
        {
            throw new FormatException($"'{text}' is not an input size of the form CxHxW with positive integers (for example 3x224x224)");
        }

        return new InputShape(c, h, w);
    }
}

/// <summary>Standard classification preprocessing: resize the shorter side, centre-crop, scale and normalise.</summary>
/// <param name="ResizeShorterSide">Shorter side after resizing (bilinear), before the crop (256 for 224 models, 342 for Inception v3).</param>
/// <param name="Crop">Square centre crop.</param>
/// <param name="Mean">Per-channel mean, RGB order, in the units after <paramref name="Scale"/>.</param>
/// <param name="Std">Per-channel divisor, RGB order.</param>
/// <param name="Scale">Factor from 0..255 (1/255 for torchvision models, 1 for BN-Inception's 0..255).</param>
/// <param name="Bgr">The model's first input channel is blue (BN-Inception).</param>
/// <param name="Grayscale">One input channel (LeNet-5): the image's luma.</param>
public sealed record ImagePreprocessing(int ResizeShorterSide, int Crop, float[] Mean, float[] Std, float Scale, bool Bgr = false, bool Grayscale = false)
{
    /// <summary>torchvision's ImageNet preprocessing for a model with a <paramref name="crop"/>-pixel input.</summary>
    public static ImagePreprocessing ImageNet(int crop = 224, int resize = 256) =>
        new(resize, crop, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f], 1 / 255f);
}
