using NeuralStyle.Transfer;
using static TorchSharp.torch;

namespace NeuralStyle.Backbones.VggSources;

/// <summary>A VGG's convolutions as one weight file holds them, with the input convention they were trained for; owns the tensors.</summary>
public sealed class VggSource : IDisposable
{
    /// <summary>Takes ownership of <paramref name="convolutions"/>.</summary>
    /// <param name="convolutions">In network order, blocks and indices consecutive from conv1_1.</param>
    /// <param name="convention">How the file's network expects its input.</param>
    /// <param name="format">The file's format and layout in words ("torchvision state dict, legacy torch.save").</param>
    /// <param name="matConvNetMean">The file's own mean pixel (RGB, 0..255) when <paramref name="convention"/> is MatConvNet.</param>
    public VggSource(IReadOnlyList<VggConvolution> convolutions, VggInputConvention convention, string format, IReadOnlyList<float>? matConvNetMean = null)
    {
        if (convolutions.Count == 0)
        {
            throw new ArgumentException("a VGG needs at least one convolution", nameof(convolutions));
        }

        if (convention == VggInputConvention.MatConvNet && matConvNetMean is not { Count: 3 })
        {
            throw new ArgumentException("a MatConvNet-convention source needs its mean pixel", nameof(matConvNetMean));
        }

        Convolutions = convolutions;
        Convention = convention;
        Format = format;
        MeanRgb = convention switch
        {
            VggInputConvention.Torchvision => [.. VggInputConventions.TorchvisionMean.Select(m => m * 255f)],
            VggInputConvention.Caffe => [.. VggInputConventions.CaffeMeanRgb],
            _ => [.. matConvNetMean!],
        };
    }

    /// <summary>The convolutions in order.</summary>
    public IReadOnlyList<VggConvolution> Convolutions { get; }

    /// <summary>The convention the weights were trained for.</summary>
    public VggInputConvention Convention { get; }

    /// <summary>The file's format and layout in words.</summary>
    public string Format { get; }

    /// <summary>The mean pixel, RGB 0..255, that the network's zero input stands for (255 x ImageNet's mean for torchvision weights).</summary>
    public IReadOnlyList<float> MeanRgb { get; }

    /// <summary>The number of blocks (5 for VGG-11 .. VGG-19).</summary>
    public int BlockCount => Convolutions[^1].Block;

    /// <summary>"VGG-19" when the block sizes are those of VGG-11, -13, -16 or -19, else "VGG-like".</summary>
    public string Architecture
    {
        get
        {
            int[] sizes = [.. Convolutions.GroupBy(c => c.Block).Select(g => g.Count())];
            string shape = string.Join(",", sizes);
            return shape switch
            {
                "1,1,2,2,2" => "VGG-11",
                "2,2,2,2,2" => "VGG-13",
                "2,2,3,3,3" => "VGG-16",
                "2,2,4,4,4" => "VGG-19",
                _ => $"VGG-like ({Convolutions.Count} convolutions in blocks of {shape})",
            };
        }
    }

    /// <summary>
    /// The layers in the seed's pixel units, RGB 0..255 minus <see cref="MeanRgb"/>: the convention is folded into conv1_1
    /// (BGR: its input channels reversed; torchvision: divided by 255 x std per input channel). Zero input means the mean
    /// pixel in every convention, so the folding is exact, zero padding included, and the seed's learning rate, TV weight
    /// and loss weights keep their meaning whatever file the weights came from. Names follow Vgg19Layout: convB_I,
    /// reluB_I, then poolB after each block. The tensors are new; this source keeps its own.
    /// </summary>
    public List<VggLayer> FoldedLayers()
    {
        var layers = new List<VggLayer>();
        try
        {
            using var noGrad = no_grad();
            for (int i = 0; i < Convolutions.Count; i++)
            {
                VggConvolution conv = Convolutions[i];
                Tensor weight = conv.Block == 1 && conv.Index == 1 ? FoldInput(conv.Weight) : conv.Weight.clone();
                layers.Add(new VggLayer(conv.Name, VggLayerKind.Convolution, weight, conv.Bias.clone()));
                layers.Add(new VggLayer($"relu{conv.Block}_{conv.Index}", VggLayerKind.Relu));
                if (i == Convolutions.Count - 1 || Convolutions[i + 1].Block != conv.Block)
                {
                    layers.Add(new VggLayer($"pool{conv.Block}", VggLayerKind.Pool));
                }
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

        return layers;
    }

    /// <summary>The pixel convention of <see cref="FoldedLayers"/>: RGB 0..255 minus <see cref="MeanRgb"/>.</summary>
    public PixelConvention FoldedPixels => new(MeanRgb[0], MeanRgb[1], MeanRgb[2]);

    /// <summary>For the console and the manifest: "VGG-19 from a torchvision state dict, legacy torch.save file (input RGB 0..1 ...)".</summary>
    public string Describe() => $"{Architecture} from a {Format} ({VggInputConventions.Describe(Convention)})";

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        VggConvolution.DisposeAll(Convolutions);
    }

    private Tensor FoldInput(Tensor weight)
    {
        switch (Convention)
        {
            case VggInputConvention.Caffe:
                return weight.flip(1).contiguous();
            case VggInputConvention.Torchvision:
                using (Tensor divisor = tensor(VggInputConventions.TorchvisionStd.Select(s => 255.0 * s).ToArray(), ScalarType.Float64).reshape(1, 3, 1, 1))
                using (Tensor wide = weight.to_type(ScalarType.Float64))
                using (Tensor folded = wide / divisor)
                {
                    return folded.to_type(ScalarType.Float32).contiguous();
                }

            default:
                return weight.clone();
        }
    }
}
