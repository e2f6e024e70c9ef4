using NeuralStyle.Transfer;
using static TorchSharp.torch;

namespace NeuralStyle.Backbones;

/// <summary>VGG-19's convolutional part with VGG-19's real shapes and seeded random (He-initialised) weights.</summary>
/// <remarks>For benchmarks and tests that need the real arithmetic but no weight file.</remarks>
public static class RandomVgg19
{
    /// <summary>The ImageNet mean pixel of the MatConvNet files.</summary>
    public static PixelConvention ImageNetPixels { get; } = new(123.68f, 116.779f, 103.939f);

    /// <summary>Builds conv1_1 .. <paramref name="lastLayer"/>.</summary>
    public static VggFeatureNetwork Create(string lastLayer = "relu5_1", PoolingMode pooling = PoolingMode.Max, long seed = 0)
    {
        using var generator = new Generator((ulong)seed);
        var layers = new List<VggLayer>();
        long channels = 3;
        foreach (string name in Vgg19Layout.LayerNames)
        {
            VggLayerKind kind = Vgg19Layout.KindOf(name);
            if (kind == VggLayerKind.Convolution)
            {
                int block = name[4] - '1';
                long outChannels = Vgg19Layout.BlockChannels[block];
                Tensor weight = randn([outChannels, channels, 3, 3], ScalarType.Float32, generator: generator)
                    .mul_(Math.Sqrt(2.0 / (channels * 9)));
                Tensor bias = zeros(outChannels, ScalarType.Float32);
                layers.Add(new VggLayer(name, kind, weight, bias));
                channels = outChannels;
            }
            else
            {
                layers.Add(new VggLayer(name, kind));
            }

            if (name == lastLayer)
            {
                break;
            }
        }

        return new VggFeatureNetwork(layers, ImageNetPixels, pooling);
    }
}
