using NeuralStyle.Zoo.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.ResNet;

/// <summary>ResNet-18/34's residual block: two 3x3 convolutions (the first strided), each with batch norm, and a shortcut.</summary>
/// <remarks>Submodules are registered under torchvision's names and in its order, so that the state-dict keys match.</remarks>
public sealed class BasicBlock : ExplicitModule
{
    /// <summary>Output channels per <c>planes</c> (1: the block does not widen).</summary>
    public const int Expansion = 1;

    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly ReLU _relu;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly nn.Module<Tensor, Tensor>? _downsample;

    /// <summary>Creates the block; <paramref name="downsample"/> is the projection shortcut (null: identity).</summary>
    public BasicBlock(long inplanes, long planes, long stride, nn.Module<Tensor, Tensor>? downsample)
        : base(nameof(BasicBlock))
    {
        _conv1 = nn.Conv2d(inplanes, planes, 3, stride: stride, padding: 1, bias: false);
        _bn1 = nn.BatchNorm2d(planes);
        _relu = nn.ReLU(inplace: true);
        _conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
        _bn2 = nn.BatchNorm2d(planes);
        _downsample = downsample;
        register_module("conv1", _conv1);
        register_module("bn1", _bn1);
        register_module("relu", _relu);
        register_module("conv2", _conv2);
        register_module("bn2", _bn2);
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
        x = _bn2.call(_conv2.call(x));
        return _relu.call(x.add_(identity)).MoveToOuterDisposeScope();
    }
}
