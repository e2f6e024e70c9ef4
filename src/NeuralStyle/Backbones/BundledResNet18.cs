using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Parameterizations;
using NeuralStyle.Transfer.Robustness;
using NeuralStyle.Weights.Onnx;

namespace NeuralStyle.Backbones;

/// <summary>
/// The ImageNet-trained ResNet-18 that ML.NET ships as ONNX (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18, MIT;
/// a CNTK 2.6 export, opset 8, cut after the global average pool), copied next to the program by the build.
/// </summary>
public static class BundledResNet18
{
    /// <summary>Where the build puts the model, relative to the application's directory.</summary>
    public const string RelativePath = "models/ResNet18.onnx";

    /// <summary>
    /// Its preprocessing (ResNetPreprocess.onnx in the same package): BGR 0..255 minus a 224x224 mean image whose
    /// per-channel means are used here, so that any size works.
    /// </summary>
    public static PixelConvention Pixels { get; } = new([123.15163f, 115.902885f, 103.06262f], null, 1, bgr: true);

    /// <summary>torchvision-style names for the block outputs (CNTK's own names are still accepted).</summary>
    /// <remarks>CNTK's ResNet-18 has 2, 2, 2 and 3 basic blocks in its four stages (22 convolutions, 9 additions).</remarks>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["relu"] = "ReLU253_Output_0",
        ["maxpool"] = "Pooling255_Output_0",
        ["layer1.0"] = "ReLU269_Output_0",
        ["layer1.1"] = "ReLU283_Output_0",
        ["layer2.0"] = "ReLU301_Output_0",
        ["layer2.1"] = "ReLU315_Output_0",
        ["layer3.0"] = "ReLU333_Output_0",
        ["layer3.1"] = "ReLU347_Output_0",
        ["layer4.0"] = "ReLU365_Output_0",
        ["layer4.1"] = "ReLU379_Output_0",
        ["layer4.2"] = "ReLU393_Output_0",
        ["avgpool"] = "Pooling395_Output_0",
    };

    /// <summary>Layers, smoothing, weights and picture settings chosen on the example images (README, "The bundled ResNet-18"; BENCHMARKS.md, "Picture quality").</summary>
    /// <remarks>
    /// Style on the stem and the end of each stage, content on the first block of stage 3, as the platform notes
    /// found to give a recognisably stylised image. Without smoothing the result is a dark blur whatever the weights
    /// (content weights up to 1000, content on layer1.1 .. layer3.0 were tried); with SWAG at a temperature of four
    /// standard deviations the style loss falls tenfold in 200 steps and the content stays recognisable. SWAG's
    /// Gram values are tiny (about 5e-5 at the start), hence the style weight.
    /// <para>
    /// The picture settings come from issue 12's quality benchmark (ten content/style pairs at 128 px, judged by
    /// network-free measures and by eye). With pixels in the network's own colours the result carried rainbow speckle
    /// (colour noise up to 2.1 times the inputs') and the network's stride-8 grid of dots. Optimising in decorrelated
    /// colour coordinates and a total variation on the chroma alone (weight 400) remove the speckle on every pair;
    /// small random rescaling (0.97 to 1.03) and rotation (up to 2 degrees) before the network at each step remove
    /// the grid (its period-8 strength falls from 2.7-3.4 to about 1, the level of no grid). Jitter was left out: it
    /// added speckle on the cat under the Hubble field. The Fourier and pyramid bases lost the content's layout at
    /// the recipe's learning rate (structure 0.04-0.40) and are options, not defaults. With smoother pictures the
    /// content weight that keeps the layout rose from 2e4 to 5e4 (4e4 lost the horse's and astronaut's outlines,
    /// 6e4 kept more of the content's own colours than of the style's).
    /// </para>
    /// </remarks>
    public static BackboneDefaults Defaults { get; } = new(
        ContentLayers: ["layer3.0"],
        StyleLayers: ["relu", "layer1.1", "layer2.1", "layer3.1", "layer4.0"],
        Smoothing: FeatureSmoothing.Swag,
        Weights: new LossWeights(Content: 5e4, Style: 5e8, Tv: 5, LearningRate: 2),
        Picture: new PictureDefaults(
            ImageParameterization.Pixel,
            DecorrelateColors: true,
            Robustness: new TransformRobustness(JitterPixels: 0, ScaleMin: 0.97, ScaleMax: 1.03, RotationDegrees: 2),
            ChromaTvWeight: 400));

    /// <summary>The model's path next to the running program.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, RelativePath);

    /// <summary>True when the build placed the model next to the program.</summary>
    public static bool IsAvailable => File.Exists(DefaultPath);

    /// <summary>Loads it as a backbone.</summary>
    public static OnnxFeatureNetwork Load(string? path = null)
    {
        string file = path ?? DefaultPath;
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"the bundled ResNet-18 is missing at {file} (it is copied there by the build from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18)", file);
        }

        return new OnnxFeatureNetwork(OnnxGraph.Load(file), Pixels, Defaults, Aliases, "ResNet-18 (ImageNet, ML.NET's CNTK export, bundled)");
    }
}
