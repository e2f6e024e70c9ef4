using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Tiling;

/// <summary>What tiling needs to know of a network: each layer's stride, their common alignment, and the margin that makes blocks exact.</summary>
/// <remarks>
/// Measured on the network itself rather than read from its description, so the same code serves VGG, ONNX graphs and
/// the zoo's modules. The strides come from the feature sizes of a random square (<see cref="ProbeSizes"/>). The margin is
/// the smallest multiple of the alignment m for which a window of the probe, cut m pixels around one aligned cell and
/// padded by the network's own zeros, gives the same features for that cell as the whole probe: exactly the condition a
/// block must meet for its inner features. A gradient probe would not do: through max pooling the gradient reaches only
/// each window's maximum, so its support is much smaller than the field that can change the output. A network whose
/// layers depend on the whole image (global pooling, squeeze-and-excitation) never meets the condition and is refused.
/// </remarks>
public sealed record TilingGeometry(int Alignment, int Margin, IReadOnlyDictionary<string, int> Strides)
{
    /// <summary>Sides of the squares the geometry is measured on, tried in turn until one is wide enough for the field.</summary>
    /// <remarks>Small first: the probe's forward pass keeps every activation, which at 768 px costs VGG-19 over a gigabyte.</remarks>
    public static IReadOnlyList<int> ProbeSizes { get; } = [256, 512, 1024];

    // A cell's features agree when they differ by at most this fraction of the largest feature magnitude: kernels
    // chosen for other input sizes round differently (about 1e-6), while a margin short of the receptive field leaves
    // differences that fall off with distance but stay above this. Measured: the bundled ResNet-18 passes 1e-3 at a
    // margin of 128 pixels, yet its gradient with SWAG was then 2e-3 off a float64 reference; at 1e-4 and at 2e-5 the
    // margin is 160 and the gradient within 5e-7 of the reference. VGG-19 gives 80 at every threshold, its exact field.
    private const double Agreement = 1e-4;

    /// <summary>Measures <paramref name="network"/> for <paramref name="layers"/> (the layers the losses read).</summary>
    /// <remarks>
    /// A window that agrees with the probe while still at least one alignment inside it on every side shows the field
    /// is no wider than the window's margin: a feature's field is a filled square, so a dependence at any distance
    /// beyond the margin would also be one on the ring between the window and the probe, where the inputs differ.
    /// </remarks>
    /// <exception cref="ArgumentException">The network cannot be tiled exactly (a stride that does not divide the probe, or a field wider than the largest probe).</exception>
    public static TilingGeometry Measure(IFeatureNetwork network, IReadOnlyCollection<string> layers)
    {
        foreach (int size in ProbeSizes)
        {
            if (Measure(network, layers, size) is TilingGeometry geometry)
            {
                return geometry;
            }
        }

        throw new ArgumentException($"{network.Description} cannot be tiled: the features of layer(s) {string.Join(", ", layers)} depend on more than {ProbeSizes[^1] / 2} pixels around them (a global operation, or a receptive field wider than the probe)");
    }

    private static TilingGeometry? Measure(IFeatureNetwork network, IReadOnlyCollection<string> layers, int probeSize)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var generator = new Generator(20231);
        Tensor probe = randn([1, 3, probeSize, probeSize], ScalarType.Float32, generator: generator).mul_(50);
        IReadOnlyDictionary<string, Tensor> whole = network.Extract(probe, layers);
        var strides = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach ((string layer, Tensor features) in whole)
        {
            long h = features.shape[2], w = features.shape[3];
            if (h == 0 || w == 0 || probeSize % h != 0 || probeSize % w != 0 || probeSize / h != probeSize / w)
            {
                throw new ArgumentException($"{network.Description} cannot be tiled: layer '{layer}' maps {probeSize} pixels to {h}x{w} features, not a whole stride");
            }

            strides[layer] = (int)(probeSize / h);
        }

        int alignment = strides.Values.Max();
        if (strides.Values.Any(s => alignment % s != 0))
        {
            throw new ArgumentException($"{network.Description} cannot be tiled: its strides ({string.Join(", ", strides.Values.Distinct())}) do not divide each other");
        }

        // The cell tested sits at the probe's centre, aligned; the window grows by one alignment a step and stays at
        // least one alignment inside the probe.
        int centre = probeSize / 2 / alignment * alignment;
        for (int margin = alignment; centre - margin >= alignment && centre + alignment + margin + alignment <= probeSize; margin += alignment)
        {
            using var step = NewDisposeScope();
            int from = centre - margin, to = centre + alignment + margin;
            Tensor window = probe[.., .., from..to, from..to];
            IReadOnlyDictionary<string, Tensor> part = network.Extract(window.contiguous(), layers);
            if (whole.All(kv => CellAgrees(kv.Value, part[kv.Key], strides[kv.Key], centre, margin, alignment)))
            {
                return new TilingGeometry(alignment, margin, strides);
            }
        }

        return null;
    }

    // The cell [centre, centre + alignment) of the whole probe's features against the same cell of the window's.
    private static bool CellAgrees(Tensor whole, Tensor part, int stride, int centre, int margin, int alignment)
    {
        int cells = alignment / stride;
        int atWhole = centre / stride, atPart = margin / stride;
        if (part.shape[2] < atPart + cells || part.shape[3] < atPart + cells)
        {
            return false;
        }

        using Tensor a = whole[.., .., atWhole..(atWhole + cells), atWhole..(atWhole + cells)].to_type(ScalarType.Float64);
        using Tensor b = part[.., .., atPart..(atPart + cells), atPart..(atPart + cells)].to_type(ScalarType.Float64);
        double scale = Math.Max(a.abs().max().item<double>(), 1e-12);
        return (a - b).abs().max().item<double>() <= Agreement * scale;
    }
}
