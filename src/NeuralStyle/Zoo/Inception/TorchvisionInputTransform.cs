using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Inception;

/// <summary>torchvision's transform_input for GoogLeNet and Inception v3.</summary>
/// <remarks>
/// Their ported weights were trained on inputs scaled to [-1, 1] (mean 0.5, std 0.5 per channel); this maps an
/// input normalised with the ImageNet mean and std to that convention, so the standard preprocessing still works.
/// </remarks>
public static class TorchvisionInputTransform
{
    private static readonly double[] Mean = [0.485, 0.456, 0.406];
    private static readonly double[] Std = [0.229, 0.224, 0.225];

    /// <summary>x_c * (std_c / 0.5) + (mean_c - 0.5) / 0.5 on the first three channels of an N x 3 x H x W batch.</summary>
    public static Tensor Apply(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var channels = new Tensor[3];
        for (int c = 0; c < 3; c++)
        {
            channels[c] = input[TensorIndex.Colon, TensorIndex.Single(c)].unsqueeze(1) * (Std[c] / 0.5) + (Mean[c] - 0.5) / 0.5;
        }

        return cat(channels, 1);
    }
}
