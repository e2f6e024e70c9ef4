using System.Globalization;
using NeuralStyle.Transfer;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.Inspection;

namespace NeuralStyle.Backbones;

/// <summary>Default style and content layers, aliases, loss weights and picture settings for a zoo model used as a style-transfer backbone.</summary>
/// <remarks>
/// VGG: the seed's layers under MatConvNet's names (relu1_1 .. relu5_1, content relu4_2 and relu5_2), aliases of
/// torchvision's <c>features.N</c> found by walking the feature stack (relu4_2 is <c>features.22</c> in VGG-19 and
/// <c>features.20</c> in VGG-16). ResNet: as the bundled ResNet-18 (stem ReLU, the end of stages 1-3, the first block
/// of stage 4; content on the first block of stage 3) with SWAG smoothing. Every other model: its encoder (up to the
/// last layer at the smallest resolution, so ENet's decoder is left out) split into stages of similar resolution
/// (within 3/4 per side); style on the last layer of each stage (at most five, largest first), content on the middle
/// layer of the second-to-last stage, with SWAG smoothing (GoogLeNet: conv1, conv3, inception3b, inception4e,
/// inception5b and content inception4c). Every model but VGG also takes the bundled ResNet-18's picture settings
/// (decorrelated colour, small scale and rotation transforms, chroma TV); VGG keeps the seed's (none of its own).
/// Layers are the top-level modules, with the children of a top-level
/// Sequential or ModuleList in its place; pools, batch norms, dropout, auxiliary heads and the classifier are skipped.
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
        if (info.StyleLayout != StyleTransferLayout.Vgg)
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

    /// <summary>The layers, weights and picture settings style transfer uses when the user names none (see the remarks of the class).</summary>
    public static BackboneDefaults Defaults(ModelInfo info, IReadOnlyList<ZooLayer> layers, PixelConvention pixels)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(pixels);
        double scale = InputScale(pixels);
        if (info.StyleLayout == StyleTransferLayout.Vgg)
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

        // The bundled ResNet-18's picture settings were chosen against the colour speckle and stride grid its SWAG
        // losses paint with pixels; the other SWAG backbones share those losses, so they start from the same settings.
        // Its chroma TV weight is kept as it is: unlike the plain TV term, ChromaTotalVariation measures colour in
        // 0..255 pixels whatever the network's units, so it keeps its size against the (unit-free) SWAG losses.
        PictureDefaults picture = BundledResNet18.Defaults.EffectivePicture;
        if (info.StyleLayout == StyleTransferLayout.ResNet && ResNetStages(layers) is int[] blocks)
        {
            return new BackboneDefaults(
                ["layer3.0"],
                ["relu", .. blocks.Take(3).Select((n, i) => Invariant($"layer{i + 1}.{n - 1}")), "layer4.0"],
                FeatureSmoothing.Swag,
                weights,
                picture);
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
            weights,
            picture);
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

    // The encoder: candidates up to the last one at the smallest resolution (a decoder comes after it), grouped into
    // stages of similar size (within a factor of 3/4 per side), largest first; a branchy network may visit a stage's
    // resolution again after the next one started, so membership goes by size, not by position.
    private static List<List<ZooLayer>> EncoderStages(IReadOnlyList<ZooLayer> layers)
    {
        var candidates = Candidates(layers).Where(l => Area(l) > 1).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        long smallest = candidates.Min(Area);
        int last = candidates.FindLastIndex(l => Area(l) == smallest);
        var stages = new List<(long Area, List<ZooLayer> Layers)>();
        foreach (ZooLayer layer in candidates.Take(last + 1))
        {
            long area = Area(layer);
            int stage = stages.FindIndex(s => area * 16 > s.Area * 9 && area * 9 < s.Area * 16);
            if (stage < 0)
            {
                stages.Add((area, []));
                stage = stages.Count - 1;
            }

            stages[stage].Layers.Add(layer);
        }

        return [.. stages.OrderByDescending(s => s.Area).Select(s => s.Layers)];
    }

    private static long Area(ZooLayer layer) => layer.OutputShape[2] * layer.OutputShape[3];

    // Top-level modules; in place of a top-level Sequential, or of a container that is never called itself (a
    // ModuleList), its children.
    private static IEnumerable<ZooLayer> Candidates(IReadOnlyList<ZooLayer> layers)
    {
        var ran = layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        bool Expanded(string top) => !ran.TryGetValue(top, out ZooLayer? layer) || layer.Type == "Sequential";
        foreach (ZooLayer layer in layers)
        {
            string[] parts = layer.Name.Split('.');
            bool candidate = parts.Length == 1 ? !Expanded(parts[0]) : parts.Length == 2 && Expanded(parts[0]);
            if (candidate && layer.OutputShape.Count == 4
                && !Heads.Contains(parts[0], StringComparer.OrdinalIgnoreCase)
                && !layer.Name.Contains("aux", StringComparison.OrdinalIgnoreCase)
                && !layer.Type.Contains("Pool", StringComparison.Ordinal) && !layer.Type.StartsWith("BatchNorm", StringComparison.Ordinal) && !layer.Type.Contains("Dropout", StringComparison.Ordinal))
            {
                yield return layer;
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
