using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.ENet;

/// <summary>The activation the port uses: ReLU, or PReLU with one shared slope (PyTorch's default, init 0.25).</summary>
internal static class Activations
{
    /// <summary>A new activation module.</summary>
    public static nn.Module<Tensor, Tensor> Create(bool relu) => relu ? nn.ReLU() : nn.PReLU(1, 0.25);

    /// <summary>Convolution, batch norm and (optionally) activation, registered as "0", "1", "2".</summary>
    public static TorchSharp.Modules.Sequential ConvBn(nn.Module<Tensor, Tensor> conv, long channels, bool? relu)
    {
        return relu is bool r
            ? nn.Sequential(("0", conv), ("1", nn.BatchNorm2d(channels)), ("2", Create(r)))
            : nn.Sequential(("0", conv), ("1", nn.BatchNorm2d(channels)));
    }
}
