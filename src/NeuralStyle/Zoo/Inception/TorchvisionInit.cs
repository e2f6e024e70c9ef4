using TorchSharp.Modules;
using static TorchSharp.torch;
using NeuralStyle.Zoo.Blocks;

namespace NeuralStyle.Zoo.Inception;

/// <summary>The initialisation torchvision's GoogLeNet and Inception3 apply with init_weights=True.</summary>
public static class TorchvisionInit
{
    /// <summary>
    /// Convolution and linear weights from a normal distribution truncated to [-2, 2] (absolute bounds, as
    /// torchvision passes them), with the standard deviation <paramref name="std"/> gives for the module's name;
    /// batch-norm weight 1 and bias 0. Linear biases keep their default initialisation, as in torchvision.
    /// </summary>
    public static void TruncatedNormal(nn.Module root, Func<string, double> std)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(std);
        using var _ = no_grad();
        foreach ((string name, nn.Module module) in root.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    FillTruncatedNormal(conv.weight, std(name), -2, 2);
                    break;
                case Linear linear:
                    FillTruncatedNormal(linear.weight, std(name), -2, 2);
                    break;
                case BatchNorm2d bn:
                    ZooInit.Constant(bn.weight!, 1);
                    ZooInit.Constant(bn.bias!, 0);
                    break;
            }
        }
    }

    /// <summary>PyTorch's trunc_normal_ with mean 0: inverse-CDF sampling between the bounds, then a clamp.</summary>
    /// <remarks>
    /// TorchSharp 0.107's nn.init.trunc_normal_ cannot be used: its native code multiplies by the mean and adds the
    /// standard deviation (swapped) and drops the sqrt(2), so with mean 0 every weight equals the standard deviation.
    /// </remarks>
    private static void FillTruncatedNormal(Tensor weight, double std, double low, double high)
    {
        double lower = NormalCdf(low / std);
        double upper = NormalCdf(high / std);
        ZooInit.Uniform(weight, 2 * lower - 1, 2 * upper - 1);
        weight.erfinv_().mul_(std * Math.Sqrt(2)).clamp_(low, high);
    }

    private static double NormalCdf(double x)
    {
        using Tensor t = tensor(x / Math.Sqrt(2), ScalarType.Float64);
        using Tensor erf = special.erf(t);
        return (1 + erf.item<double>()) / 2;
    }
}
