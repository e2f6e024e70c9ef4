using NeuralStyle.Transfer;
using NeuralStyle.Weights;
using NeuralStyle.Weights.MatConvNet;
using static TorchSharp.torch;
using NeuralStyle.Runtime;

namespace NeuralStyle.Backbones;

/// <summary>Builds a <see cref="VggFeatureNetwork"/> from a MatConvNet file.</summary>
public static class MatConvNetVgg
{
    /// <summary>Loads the chain of conv/relu/pool layers up to <paramref name="lastLayer"/> (or up to the classifier).</summary>
    /// <remarks>
    /// Kernel orientation follows MatConvNet's Caffe importer, which stores H x W x Cin x Cout (first axis = y):
    /// weight[o, i, y, x] = kernel[y, x, i, o]. The seed's vgg.py swaps the two spatial axes after a misleading doc
    /// comment, which transposes every filter; this project uses the true order (see README, "Deviations").
    /// </remarks>
    public static VggFeatureNetwork Load(string path, PoolingMode pooling, string? lastLayer = null) =>
        Load(path, pooling, lastLayer is null ? null : [lastLayer]);

    /// <summary>Loads the layers up to the last of <paramref name="needed"/> in file order (or up to the classifier when null).</summary>
    public static VggFeatureNetwork Load(string path, PoolingMode pooling, IReadOnlyCollection<string>? needed)
    {
        MatConvNetFile file = MatConvNetFile.Read(path, needed);
        TorchRuntime.EnsureInitialized();
        var layers = new List<VggLayer>();
        long channels = 3;
        try
        {
            foreach (MatConvNetLayer layer in file.Layers)
            {
                VggLayerKind? kind = layer.Type switch
                {
                    "conv" when !layer.Name.StartsWith("fc", StringComparison.Ordinal) => VggLayerKind.Convolution,
                    "relu" => VggLayerKind.Relu,
                    "pool" => VggLayerKind.Pool,
                    _ => null,
                };
                if (kind is null)
                {
                    if (needed is not null)
                    {
                        throw new NetworkFormatException(path, $"layer '{layer.Name}' of type '{layer.Type}' is not part of a VGG feature extractor");
                    }

                    break;
                }

                if (kind != VggLayerKind.Convolution)
                {
                    layers.Add(new VggLayer(layer.Name, kind.Value));
                    continue;
                }

                int[] d = layer.KernelDimensions!;
                if (d[2] != channels)
                {
                    throw new NetworkFormatException(path, $"layer '{layer.Name}' expects {d[2]} input channels but receives {channels}");
                }

                // Column-major H x W x I x O read in C order is O x I x W x H; swapping the last two gives O x I x H x W.
                using Tensor raw = tensor(layer.Kernel!, [d[3], d[2], d[1], d[0]], ScalarType.Float32);
                Tensor weight = raw.permute(0, 1, 3, 2).contiguous();
                Tensor bias = tensor(layer.Bias!, [d[3]], ScalarType.Float32);
                layers.Add(new VggLayer(layer.Name, VggLayerKind.Convolution, weight, bias));
                if ((DamagedWeights.Describe(weight) is string w ? ("weights", w) : DamagedWeights.Describe(bias) is string b ? ("biases", b) : default) is (string part, string what))
                {
                    throw new NetworkFormatException(path, $"layer '{layer.Name}', {part}: {what}: {DamagedWeights.Advice}");
                }

                channels = d[3];
            }
        }
        catch
        {
            foreach (VggLayer l in layers)
            {
                l.Weight?.Dispose();
                l.Bias?.Dispose();
            }

            throw;
        }

        float[] m = file.MeanPixel;
        if (!m.All(float.IsFinite))
        {
            throw new NetworkFormatException(path, $"the mean pixel ({string.Join(", ", m)}) is not finite: {DamagedWeights.Advice}");
        }

        return new VggFeatureNetwork(layers, new PixelConvention(m[0], m[1], m[2]), pooling);
    }
}
