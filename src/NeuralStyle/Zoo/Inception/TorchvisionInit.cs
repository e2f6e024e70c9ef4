using TorchSharp.Modules;
using static TorchSharp.torch;

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
        foreach ((string name, nn.Module module) in root.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.trunc_normal_(conv.weight, 0, std(name), -2, 2);
                    break;
                case Linear linear:
                    nn.init.trunc_normal_(linear.weight, 0, std(name), -2, 2);
                    break;
                case BatchNorm2d bn:
                    nn.init.ones_(bn.weight);
                    nn.init.zeros_(bn.bias);
                    break;
            }
        }
    }
}
