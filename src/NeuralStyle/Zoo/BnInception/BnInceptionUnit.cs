using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.BnInception;

/// <summary>One of BN-Inception's convolution + batch norm + ReLU triples, registered flat on the network under Cadene's names.</summary>
/// <remarks>
/// Cadene's port has no nested modules: a convolution "X" has its batch norm as "X_bn" and a separately named ReLU,
/// all attributes of the network. The unit is therefore not a module itself; it only remembers the three.
/// </remarks>
public sealed class BnInceptionUnit
{
    private readonly Conv2d _conv;
    private readonly BatchNorm2d _bn;
    private readonly ReLU _relu;

    private BnInceptionUnit(Conv2d conv, BatchNorm2d bn, ReLU relu)
    {
        _conv = conv;
        _bn = bn;
        _relu = relu;
    }

    /// <summary>Creates convolution <paramref name="convName"/> (with bias), "<paramref name="convName"/>_bn" (eps 1e-5) and ReLU <paramref name="reluName"/> on <paramref name="owner"/>, in that order.</summary>
    public static BnInceptionUnit Register(nn.Module owner, string convName, string reluName, long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var unit = new BnInceptionUnit(
            nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding),
            nn.BatchNorm2d(outChannels),
            nn.ReLU());
        owner.register_module(convName, unit._conv);
        owner.register_module(convName + "_bn", unit._bn);
        owner.register_module(reluName, unit._relu);
        return unit;
    }

    /// <summary>relu(bn(conv(x))).</summary>
    public Tensor Apply(Tensor input) => _relu.call(_bn.call(_conv.call(input)));
}
