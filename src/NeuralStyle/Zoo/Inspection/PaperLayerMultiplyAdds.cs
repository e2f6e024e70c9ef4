using NeuralStyle.Zoo.LeNet;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Inspection;

/// <summary>Multiply-adds of LeNet-5's paper layers, counted as the convolution or Linear layer each one generalises.</summary>
/// <remarks>
/// C3's partial connection table is a convolution whose kernels see only some input maps: each output position costs
/// the number of kernel weights. A trainable subsampling unit sums a 2x2 window and scales it, like a 2x2/2 depthwise
/// convolution with a shared weight: four per output. An RBF unit accumulates one squared difference per feature, like
/// a Linear output. This gives the paper's 332,824 connections without biases.
/// </remarks>
internal static class PaperLayerMultiplyAdds
{
    /// <summary>The count for one of LeNet-5's functional layers, or null for any other module.</summary>
    public static long? PerImage(nn.Module module, Tensor input, Tensor output)
    {
        long images = output.dim() > 1 ? output.shape[0] : 1;
        return module switch
        {
            PartialConnectionConv => output.shape[2] * output.shape[3] * module.parameters(recurse: false).Where(p => p.dim() == 4).Sum(p => p.numel()),
            TrainableSubsampling => output.numel() / images * 4,
            EuclideanRbf rbf => output.numel() / images * rbf.Centres.shape[1],
            _ => null,
        };
    }
}
