using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Tiling;

/// <summary>What tiling needs to know of a network: each layer's stride, their common alignment, and the margin that makes blocks exact.</summary>
/// <remarks>
/// Measured on the network itself rather than read from its description, so the same code serves VGG, ONNX graphs and
/// the zoo's modules. The strides come from the feature sizes of a <see cref="ProbeSize"/>-pixel square. The margin is
/// the smallest multiple of the alignment m for which a window of the probe, cut m pixels around one aligned cell and
/// padded by the network's own zeros, gives the same features for that cell as the whole probe: exactly the condition a
/// block must meet for its inner features. A gradient probe would not do: through max pooling the gradient reaches only
/// each window's maximum, so its support is much smaller than the field that can change the output. A network whose
/// layers depend on the whole image (global pooling, squeeze-and-excitation) never meets the condition and is refused.
/// </remarks>
public sealed record TilingGeometry(int Alignment, int Margin, IReadOnlyDictionary<string, int> Strides)
{
    /// <summary>Side of the square the geometry is measured on.</summary>
    public const int ProbeSize = 768;

    // A cell's features agree when they differ by at most this fraction of the largest feature magnitude: kernels
    // chosen for other input sizes round differently (about 1e-6), while a margin short of the receptive field leaves
    // differences that fall off with distance but stay above this. Measured: the bundled ResNet-18 passes 1e-3 at a
    // margin of 128 pixels, yet its gradient with SWAG was then 2e-3 off a float64 reference; at 1e-4 and at 2e-5 the
    // margin is 160 and the gradient within 5e-7 of the reference. VGG-19 gives 80 at every threshold, its exact field.
    private const double Agreement = 1e-4;

    /// <summary>Measures <paramref name="network"/> for <paramref name="layers"/> (the layers the losses read).</summary>
    /// <exception cref="ArgumentException">The network cannot be tiled exactly (a stride that does not divide the probe, or a field wider than the probe).</exception>
    public static TilingGeometry Measure(IFeatureNetwork network, IReadOnlyCollection<string> layers)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var generator = new Generator(20231);
        Tensor probe = randn([1, 3, ProbeSize, ProbeSize], ScalarType.Float32, generator: generator).mul_(50);
        IReadOnlyDictionary<string, Tensor> whole = network.Extract(probe, layers);
        var strides = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach ((string layer, Tensor features) in whole)
        {
            long h = features.shape[2], w = features.shape[3];
            if (h == 0 || w == 0 || ProbeSize % h != 0 || ProbeSize % w != 0 || ProbeSize / h != ProbeSize / w)
            {
                throw new ArgumentException($"{network.Description} cannot be tiled: layer '{layer}' maps {ProbeSize} pixels to {h}x{w} features, not a whole stride");
            }

            strides[layer] = (int)(ProbeSize / h);
        }

        int alignment = strides.Values.Max();
        if (strides.Values.Any(s => alignment % s != 0))
        {
            throw new ArgumentException($"{network.Description} cannot be tiled: its strides ({string.Join(", ", strides.Values.Distinct())}) do not divide each other");
        }

        // The cell tested sits at the probe's centre, aligned; the window grows by one alignment a step.
        int centre = ProbeSize / 2 / alignment * alignment;
        for (int margin = alignment; centre - margin >= 0 && centre + alignment + margin <= ProbeSize; margin += alignment)
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

        throw new ArgumentException($"{network.Description} cannot be tiled: the features of layer(s) {string.Join(", ", layers)} depend on more than {ProbeSize / 2} pixels around them (a global operation, or a receptive field wider than the probe)");
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
