using NeuralStyle.Zoo.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.ResNet;

/// <summary>ResNet-50/101/152's residual block: 1x1 reduce, 3x3, 1x1 expand (x4), each with batch norm, and a shortcut.</summary>
/// <remarks>
/// torchvision's "v1.5": the stride sits on the 3x3 convolution, not on the first 1x1 as in the paper, which costs a
/// little more compute and is about 0.5% more accurate. Submodules are registered under torchvision's names and order.
/// </remarks>
public sealed class Bottleneck : ExplicitModule
{
    /// <summary>Output channels per <c>planes</c>.</summary>
    public const int Expansion = 4;

    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly Conv2d _conv3;
    private readonly BatchNorm2d _bn3;
    private readonly ReLU _relu;
    private readonly nn.Module<Tensor, Tensor>? _downsample;

    /// <summary>Creates the block; <paramref name="downsample"/> is the projection shortcut (null: identity).</summary>
    public Bottleneck(long inplanes, long planes, long stride, nn.Module<Tensor, Tensor>? downsample)
        : base(nameof(Bottleneck))
    {
        long width = planes;
        _conv1 = nn.Conv2d(inplanes, width, 1, bias: false);
        _bn1 = nn.BatchNorm2d(width);
        _conv2 = nn.Conv2d(width, width, 3, stride: stride, padding: 1, bias: false);
        _bn2 = nn.BatchNorm2d(width);
        _conv3 = nn.Conv2d(width, planes * Expansion, 1, bias: false);
        _bn3 = nn.BatchNorm2d(planes * Expansion);
        _relu = nn.ReLU(inplace: true);
        _downsample = downsample;
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("conv2", _conv2);
        register_module("bn2", _bn2);
        register_module("conv3", _conv3);
        register_module("bn3", _bn3);
        register_module("relu", _relu);
        if (_downsample is not null)
        {
            register_module("downsample", _downsample);
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor identity = _downsample is null ? input : _downsample.call(input);
        Tensor x = _relu.call(_bn1.call(_conv1.call(input)));
        x = _relu.call(_bn2.call(_conv2.call(x)));
        x = _bn3.call(_conv3.call(x));
        return _relu.call(x.add_(identity)).MoveToOuterDisposeScope();
    }
}
