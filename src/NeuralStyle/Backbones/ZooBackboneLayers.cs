using System.Globalization;
using NeuralStyle.Transfer;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.Inspection;

namespace NeuralStyle.Backbones;

/// <summary>Default style and content layers, aliases and loss weights for a zoo model used as a style-transfer backbone.</summary>
/// <remarks>
/// VGG: the seed's layers under MatConvNet's names (relu1_1 .. relu5_1, content relu4_2 and relu5_2), aliases of
/// torchvision's <c>features.N</c> found by walking the feature stack (relu4_2 is <c>features.22</c> in VGG-19 and
/// <c>features.18</c> in VGG-16). ResNet: as the bundled ResNet-18 (stem ReLU, the end of stages 1-3, the first block
/// of stage 4; content on the first block of stage 3) with SWAG smoothing. Every other model: its encoder split into
/// stages where the resolution falls by a quarter or more; style on the last layer of each stage (at most five),
/// content on the middle layer of the second-to-last stage, with SWAG smoothing (for GoogLeNet: conv1, conv3,
/// inception3b, inception4e, inception5b and content inception4c). Layers are the top-level modules, the children of a
/// top-level Sequential in its place; pools, batch norms, dropout and the classifier head are skipped.
/// </remarks>
public static class ZooBackboneLayers
{
    private static readonly string[] Heads = ["classifier", "fc", "last_linear", "logits", "output"];

    /// <summary>Readable names and the module paths they stand for (VGG only: relu3_1 means <c>features.11</c> in VGG-19).</summary>
    public static IReadOnlyDictionary<string, string> Aliases(ModelInfo info, IReadOnlyList<ZooLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(layers);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        if (info.Family != "VGG")
        {
            return aliases;
        }

        int stage = 1, conv = 0;
        foreach (ZooLayer layer in layers.Where(l => l.IsLeaf && l.Name.StartsWith("features.", StringComparison.Ordinal)))
        {
            string? alias = layer.Type switch
            {
                "Conv2d" => $"conv{stage}_{++conv}",
                "BatchNorm2d" => $"bn{stage}_{conv}",
                "ReLU" => $"relu{stage}_{conv}",
                "MaxPool2d" => $"pool{stage}",
                _ => null,
            };
            if (alias is not null)
            {
                aliases.TryAdd(alias, layer.Name);
            }

            if (layer.Type == "MaxPool2d")
            {
                (stage, conv) = (stage + 1, 0);
            }
        }

        return aliases;
    }

    /// <summary>The layers and weights style transfer uses when the user names none (see the remarks of the class).</summary>
    public static BackboneDefaults Defaults(ModelInfo info, IReadOnlyList<ZooLayer> layers, PixelConvention pixels)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(pixels);
        double scale = InputScale(pixels);
        if (info.Family == "VGG")
        {
            // Without smoothing, content and TV losses grow with the square of the activations and the style loss with
            // the fourth power: relative to the seed's VGG (0..255 input) the style weight shrinks by scale^2 and
            // Adam's step by scale, assuming activations scale with the input.
            LossWeights seed = LossWeights.Seed;
            return BackboneDefaults.Vgg with { Weights = seed with { Style = seed.Style / (scale * scale), LearningRate = seed.LearningRate * scale } };
        }

        // SWAG divides activations by their spread, so only the image-space terms follow the input's units.
        LossWeights swag = BundledResNet18.Defaults.EffectiveWeights;
        LossWeights weights = swag with { Tv = swag.Tv / (scale * scale), LearningRate = swag.LearningRate * scale };
        if (info.Family == "ResNet" && ResNetStages(layers) is int[] blocks)
        {
            return new BackboneDefaults(
                ["layer3.0"],
                ["relu", .. blocks.Take(3).Select((n, i) => Invariant($"layer{i + 1}.{n - 1}")), "layer4.0"],
                FeatureSmoothing.Swag,
                weights);
        }

        List<List<ZooLayer>> stages = EncoderStages(layers);
        if (stages.Count == 0)
        {
            throw new ArgumentException($"{info.Name} has no convolutional layers to use as a style-transfer backbone");
        }

        List<ZooLayer> contentStage = stages[Math.Max(0, stages.Count - 2)];
        return new BackboneDefaults(
            [contentStage[(contentStage.Count - 1) / 2].Name],
            [.. stages.Take(5).Select(s => s[^1].Name)],
            FeatureSmoothing.Swag,
            weights);
    }

    /// <summary>How much smaller the network's input units are than 0..255 pixels (1/(255 std) for torchvision's normalisation).</summary>
    public static double InputScale(PixelConvention pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        return pixels.Scale / pixels.Std.Average();
    }

    // Blocks per stage from the module paths layer1.0 .. layer4.N, or null when the model is not laid out like torchvision's ResNet.
    private static int[]? ResNetStages(IReadOnlyList<ZooLayer> layers)
    {
        var names = layers.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        if (!names.Contains("relu"))
        {
            return null;
        }

        int[] blocks = [.. Enumerable.Range(1, 4).Select(s => Enumerable.Range(0, 1000).TakeWhile(b => names.Contains(Invariant($"layer{s}.{b}"))).Count())];
        return blocks.All(b => b > 0) ? blocks : null;
    }

    private static List<List<ZooLayer>> EncoderStages(IReadOnlyList<ZooLayer> layers)
    {
        var candidates = Candidates(layers).ToList();
        var stages = new List<List<ZooLayer>>();
        long stageSize = 0, previous = long.MaxValue;
        foreach (ZooLayer layer in candidates)
        {
            long size = layer.OutputShape[2] * layer.OutputShape[3];
            if (size > previous || size <= 1)
            {
                break; // the decoder of an encoder-decoder, or the global pool
            }

            if (stages.Count == 0 || size <= stageSize * 9 / 16)
            {
                stages.Add([]);
                stageSize = size;
            }

            stages[^1].Add(layer);
            previous = size;
        }

        return stages;
    }

    private static IEnumerable<ZooLayer> Candidates(IReadOnlyList<ZooLayer> layers)
    {
        var topLevelSequentials = layers.Where(l => !l.Name.Contains('.', StringComparison.Ordinal) && l.Type == "Sequential").Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        foreach (ZooLayer layer in layers)
        {
            string[] parts = layer.Name.Split('.');
            bool topLevel = parts.Length == 1 && !topLevelSequentials.Contains(layer.Name);
            bool inTopSequential = parts.Length == 2 && topLevelSequentials.Contains(parts[0]);
            if ((topLevel || inTopSequential) && layer.OutputShape.Count == 4
                && !Heads.Contains(parts[0], StringComparer.OrdinalIgnoreCase)
                && !layer.Name.Contains("aux", StringComparison.OrdinalIgnoreCase)
                && !layer.Type.Contains("Pool", StringComparison.Ordinal) && !layer.Type.StartsWith("BatchNorm", StringComparison.Ordinal) && !layer.Type.StartsWith("Dropout", StringComparison.Ordinal))
            {
                yield return layer;
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
