using NeuralStyle.Zoo.Blocks;
using NeuralStyle.Zoo.Inception;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.GoogLeNet;

/// <summary>torchvision's GoogLeNet inception module: four branches concatenated along the channels.</summary>
/// <remarks>
/// branch3 is the paper's "5x5" branch, but torchvision (and so its pretrained weights) uses a 3x3 kernel there
/// (pytorch/vision issue 906); we keep the 3x3 so that its weights load.
/// </remarks>
public sealed class GoogLeNetInception : ExplicitModule
{
    private readonly BasicConv2d _branch1;
    private readonly Sequential _branch2;
    private readonly Sequential _branch3;
    private readonly Sequential _branch4;

    /// <summary>The paper's table columns: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5 (really 3x3), pool proj.</summary>
    public GoogLeNetInception(long inChannels, long ch1x1, long ch3x3Reduce, long ch3x3, long ch5x5Reduce, long ch5x5, long poolProjection)
        : base(nameof(GoogLeNetInception))
    {
        _branch1 = new BasicConv2d(inChannels, ch1x1, 1);
        _branch2 = nn.Sequential(("0", new BasicConv2d(inChannels, ch3x3Reduce, 1)), ("1", new BasicConv2d(ch3x3Reduce, ch3x3, 3, padding: 1)));
        _branch3 = nn.Sequential(("0", new BasicConv2d(inChannels, ch5x5Reduce, 1)), ("1", new BasicConv2d(ch5x5Reduce, ch5x5, 3, padding: 1)));
        _branch4 = nn.Sequential(("0", nn.MaxPool2d(3, stride: 1, padding: 1, ceil_mode: true)), ("1", new BasicConv2d(inChannels, poolProjection, 1)));
        register_module("branch1", _branch1);
        register_module("branch2", _branch2);
        register_module("branch3", _branch3);
        register_module("branch4", _branch4);
        OutChannels = ch1x1 + ch3x3 + ch5x5 + poolProjection;
    }

    /// <summary>Channels of the output.</summary>
    public long OutChannels { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        // Frees the branches' intermediates when the block ends, as PyTorch's reference counting does; without it a
        // whole forward's activations stayed alive until the caller's scope, and every layer wrote to fresh memory.
        using var scope = NewDisposeScope();
        return cat([_branch1.call(input), _branch2.call(input), _branch3.call(input), _branch4.call(input)], 1).MoveToOuterDisposeScope();
    }
}
