using NeuralStyle.Zoo.Blocks;
using NeuralStyle.Zoo.Inception;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.InceptionV3;

/// <summary>torchvision's Inception v3 AuxLogits head on Mixed_6e's 768 x 17 x 17: 5x5/3 average pool, 1x1 128, 5x5 768, global pool, fc.</summary>
public sealed class InceptionAux : ExplicitModule
{
    private readonly BasicConv2d _conv0;
    private readonly BasicConv2d _conv1;
    private readonly Linear _fc;

    /// <summary>A head on <paramref name="inChannels"/> feature maps.</summary>
    public InceptionAux(long inChannels, long classes)
        : base(nameof(InceptionAux))
    {
        _conv0 = new BasicConv2d(inChannels, 128, 1);
        _conv1 = new BasicConv2d(128, 768, 5);
        _fc = nn.Linear(768, classes);
        register_module("conv0", _conv0);
        register_module("conv1", _conv1);
        register_module("fc", _fc);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor x = _conv1.call(_conv0.call(nn.functional.avg_pool2d(input, 5, stride: 3)));
        return _fc.call(flatten(nn.functional.adaptive_avg_pool2d(x, (1, 1)), 1));
    }
}
