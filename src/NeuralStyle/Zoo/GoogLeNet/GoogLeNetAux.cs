using NeuralStyle.Zoo.Blocks;
using NeuralStyle.Zoo.Inception;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.GoogLeNet;

/// <summary>torchvision's GoogLeNet auxiliary classifier (after 4a and after 4d).</summary>
/// <remarks>
/// torchvision departs from the paper (5x5/3 average pool, FC 1024 on 128x4x4) by pooling adaptively to 4x4, which
/// gives the same 2048 inputs to fc1 at 224 and keeps it usable at other sizes.
/// </remarks>
public sealed class GoogLeNetAux : ExplicitModule
{
    private readonly BasicConv2d _conv;
    private readonly Linear _fc1;
    private readonly Linear _fc2;
    private readonly ZooDropout _dropout;

    /// <summary>A head on <paramref name="inChannels"/> feature maps, dropout 0.7 as torchvision.</summary>
    public GoogLeNetAux(long inChannels, long classes, double dropout = 0.7)
        : base(nameof(GoogLeNetAux))
    {
        _conv = new BasicConv2d(inChannels, 128, 1);
        _fc1 = nn.Linear(2048, 1024);
        _fc2 = nn.Linear(1024, classes);
        _dropout = new ZooDropout(dropout);
        register_module("conv", _conv);
        register_module("fc1", _fc1);
        register_module("fc2", _fc2);
        register_module("dropout", _dropout);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor x = _conv.call(nn.functional.adaptive_avg_pool2d(input, (4, 4)));
        x = nn.functional.relu(_fc1.call(flatten(x, 1)));
        return _fc2.call(_dropout.call(x));
    }
}
