using NeuralStyle.Backbones;
using NeuralStyle.Transfer;

namespace NeuralStyle.Bench.Comparison;

/// <summary>A network of the comparison: our backbone, the engine settings of its style loop and the worker's arguments for the same loop.</summary>
internal sealed class ComparedNetwork : IDisposable
{
    private readonly IDisposable _owned;

    private ComparedNetwork(string key, string title, string loop, IFeatureNetwork network, IDisposable owned, StyleTransferSettings settings, string[] workerArguments)
    {
        Key = key;
        Title = title;
        Loop = loop;
        Network = network;
        _owned = owned;
        Settings = settings;
        WorkerArguments = workerArguments;
    }

    /// <summary>The names <c>--networks</c> accepts.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["vgg19", "resnet18"];

    public string Key { get; }

    public string Title { get; }

    /// <summary>What one iteration computes, for the section.</summary>
    public string Loop { get; }

    public IFeatureNetwork Network { get; }

    /// <summary>The engine's settings for a run that starts from the content image (precision and iterations set per run).</summary>
    public StyleTransferSettings Settings { get; }

    public string[] WorkerArguments { get; }

    /// <summary>Builds the network <paramref name="key"/>; files the worker needs go to <paramref name="workDirectory"/>.</summary>
    public static ComparedNetwork Create(string key, string workDirectory) => key switch
    {
        "vgg19" => Vgg19(workDirectory),
        "resnet18" => ResNet18(),
        _ => throw new ArgumentException($"--networks: unknown network '{key}' (known: {string.Join(", ", Keys)})"),
    };

    // VGG-19's shapes with RandomVgg19's weights, which the worker reads from a file so that both run the same numbers;
    // the seed's losses and weights (BackboneDefaults.Vgg, LossWeights.Seed).
    private static ComparedNetwork Vgg19(string workDirectory)
    {
        VggFeatureNetwork vgg = RandomVgg19.Create("relu5_1");
        string weights = Path.Combine(workDirectory, "vgg19-relu5_1.f32");
        using (FileStream file = File.Create(weights))
        {
            foreach (VggLayer layer in vgg.Layers.Where(l => l.Weight is not null))
            {
                foreach (TorchSharp.torch.Tensor t in new[] { layer.Weight!, layer.Bias! })
                {
                    float[] values = t.contiguous().data<float>().ToArray();
                    byte[] bytes = new byte[values.Length * sizeof(float)];
                    Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
                    file.Write(bytes);
                }
            }
        }

        LossWeights w = LossWeights.Seed;
        var settings = new StyleTransferSettings { ContentWeight = w.Content, StyleWeight = w.Style, TvWeight = w.Tv, LearningRate = w.LearningRate, InitialNoiseBlend = 0, Seed = 3 };
        string loop = "VGG-19's convolutions to relu5_1 (RandomVgg19: He-initialised random weights, zero biases), content relu4_2, "
            + "Gram style losses at relu1_1 .. relu5_1, the seed's weights (content 5, style 100, TV 100) and Adam at learning rate 10";
        return new ComparedNetwork("vgg19", "VGG-19 shapes (RandomVgg19, to relu5_1)", loop, vgg, vgg, settings, ["--network", "vgg19", "--vgg-weights", weights]);
    }

    // The bundled ResNet-18 with the layers, smoothing and loss weights the engine uses for it by default; of its
    // picture defaults only the chroma TV (a loss term) is kept: decorrelated colour and the random scale/rotation
    // change how the image is parameterised and seen, not the style loop, and would need their own PyTorch copies.
    private static ComparedNetwork ResNet18()
    {
        OnnxFeatureNetwork resnet = BundledResNet18.Load();
        BackboneDefaults d = resnet.Defaults;
        LossWeights w = d.EffectiveWeights;
        var settings = new StyleTransferSettings
        {
            ContentWeight = w.Content,
            StyleWeight = w.Style,
            TvWeight = w.Tv,
            LearningRate = w.LearningRate,
            ChromaTvWeight = d.EffectivePicture.ChromaTvWeight,
            InitialNoiseBlend = 0,
            Seed = 3,
        };
        string loop = $"the bundled ResNet-18 (ML.NET's ONNX file; PyTorch runs the same file's nodes and initialisers), content {string.Join(", ", d.ContentLayers)}, "
            + $"Gram style losses at {string.Join(", ", d.StyleLayers)} after {d.Smoothing.ToString().ToUpperInvariant()} smoothing, the backbone's weights (content {Number(w.Content)}, style {Number(w.Style)}, "
            + $"TV {Number(w.Tv)}, chroma TV {Number(settings.ChromaTvWeight)}) and Adam at learning rate {Number(w.LearningRate)}; without its decorrelated colour and random scale/rotation (picture settings, not the loop)";
        return new ComparedNetwork("resnet18", "the bundled ResNet-18", loop, resnet, resnet, settings, ["--network", "resnet18", "--onnx", BundledResNet18.DefaultPath]);
    }

    public void Dispose() => _owned.Dispose();

    // 5, 400, 5e4, 5e8: as the README writes loss weights.
    private static string Number(double v) =>
        v.ToString(v >= 1e4 ? "0.##e+0" : "0.###", System.Globalization.CultureInfo.InvariantCulture);
}
