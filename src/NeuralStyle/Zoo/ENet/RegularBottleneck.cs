using NeuralStyle.Zoo.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.ENet;

/// <summary>ENet's regular bottleneck: identity plus (1x1 projection, main convolution, 1x1 expansion, spatial dropout), then activation.</summary>
/// <remarks>
/// The main convolution is a regular or dilated 3x3, or an asymmetric kx1 then 1xk pair. As in the port, every
/// convolution is bias-free and followed by batch norm and activation, the expansion included.
/// </remarks>
public sealed class RegularBottleneck : ExplicitModule
{
    private readonly Sequential _conv1;
    private readonly Sequential _conv2;
    private readonly Sequential _conv3;
    private readonly ZooDropout _regul;
    private readonly nn.Module<Tensor, Tensor> _activation;

    /// <summary>Creates the block on <paramref name="channels"/> channels (internal width channels / 4).</summary>
    public RegularBottleneck(long channels, double dropout, bool relu, long kernel = 3, long padding = 1, long dilation = 1, bool asymmetric = false)
        : base(nameof(RegularBottleneck))
    {
        long inner = channels / 4;
        _conv1 = Activations.ConvBn(nn.Conv2d(channels, inner, 1, bias: false), inner, relu);
        if (asymmetric)
        {
            _conv2 = nn.Sequential(
                ("0", nn.Conv2d(inner, inner, (kernel, 1), padding: (padding, 0), dilation: (dilation, 1), bias: false)),
                ("1", nn.BatchNorm2d(inner)),
                ("2", Activations.Create(relu)),
                ("3", nn.Conv2d(inner, inner, (1, kernel), padding: (0, padding), dilation: (1, dilation), bias: false)),
                ("4", nn.BatchNorm2d(inner)),
                ("5", Activations.Create(relu)));
        }
        else
        {
            _conv2 = Activations.ConvBn(nn.Conv2d(inner, inner, kernel, padding: padding, dilation: dilation, bias: false), inner, relu);
        }

        _conv3 = Activations.ConvBn(nn.Conv2d(inner, channels, 1, bias: false), channels, relu);
        _regul = new ZooDropout(dropout, channels: true);
        _activation = Activations.Create(relu);
        register_module("ext_conv1", _conv1);
        register_module("ext_conv2", _conv2);
        register_module("ext_conv3", _conv3);
        register_module("ext_regul", _regul);
        register_module("out_activation", _activation);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor ext = _regul.call(_conv3.call(_conv2.call(_conv1.call(input))));
        return _activation.call(input.add(ext)).MoveToOuterDisposeScope();
    }
}
