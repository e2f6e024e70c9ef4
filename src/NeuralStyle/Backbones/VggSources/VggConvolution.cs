using static TorchSharp.torch;

namespace NeuralStyle.Backbones.VggSources;

/// <summary>One convolution of a VGG's feature part, named by its place: block <see cref="Block"/>, <see cref="Index"/>-th in the block (conv2_1 = block 2, index 1).</summary>
/// <param name="Block">1-based block number (blocks end with a 2x2 pooling).</param>
/// <param name="Index">1-based position in the block.</param>
/// <param name="Weight">Float32, Cout x Cin x kH x kW, as the file stores it.</param>
/// <param name="Bias">Float32, Cout.</param>
public sealed record VggConvolution(int Block, int Index, Tensor Weight, Tensor Bias)
{
    /// <summary>The layer's name in the seed's scheme (conv1_1 .. conv5_4).</summary>
    public string Name => $"conv{Block}_{Index}";

    /// <summary>Frees the weights and biases of <paramref name="convolutions"/> (what a reader took before it failed).</summary>
    public static void DisposeAll(IEnumerable<VggConvolution> convolutions)
    {
        foreach (VggConvolution c in convolutions)
        {
            c.Weight.Dispose();
            c.Bias.Dispose();
        }
    }
}
