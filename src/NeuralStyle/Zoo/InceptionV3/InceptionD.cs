using NeuralStyle.Zoo.Blocks;
using NeuralStyle.Zoo.Inception;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.InceptionV3;

/// <summary>torchvision's InceptionD (Mixed_7a, 17x17 to 8x8): 1x1, 3x3/2; 1x1, 1x7, 7x1, 3x3/2; 3x3/2 max pool passed through.</summary>
public sealed class InceptionD : ExplicitModule
{
    private readonly BasicConv2d _branch3x3_1;
    private readonly BasicConv2d _branch3x3_2;
    private readonly BasicConv2d _branch7x7x3_1;
    private readonly BasicConv2d _branch7x7x3_2;
    private readonly BasicConv2d _branch7x7x3_3;
    private readonly BasicConv2d _branch7x7x3_4;

    /// <summary>Output channels 512 + <paramref name="inChannels"/>.</summary>
    public InceptionD(long inChannels)
        : base(nameof(InceptionD))
    {
        _branch3x3_1 = new BasicConv2d(inChannels, 192, 1);
        _branch3x3_2 = new BasicConv2d(192, 320, 3, stride: 2);
        _branch7x7x3_1 = new BasicConv2d(inChannels, 192, 1);
        _branch7x7x3_2 = new BasicConv2d(192, 192, (1, 7), (0, 3));
        _branch7x7x3_3 = new BasicConv2d(192, 192, (7, 1), (3, 0));
        _branch7x7x3_4 = new BasicConv2d(192, 192, 3, stride: 2);
        register_module("branch3x3_1", _branch3x3_1);
        register_module("branch3x3_2", _branch3x3_2);
        register_module("branch7x7x3_1", _branch7x7x3_1);
        register_module("branch7x7x3_2", _branch7x7x3_2);
        register_module("branch7x7x3_3", _branch7x7x3_3);
        register_module("branch7x7x3_4", _branch7x7x3_4);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        // Frees the branches' intermediates when the block ends, as PyTorch's reference counting does; without it a
        // whole forward's activations stayed alive until the caller's scope, and every layer wrote to fresh memory.
        using var scope = NewDisposeScope();
        Tensor branch3x3 = _branch3x3_2.call(_branch3x3_1.call(input));
        Tensor branch7x7x3 = _branch7x7x3_4.call(_branch7x7x3_3.call(_branch7x7x3_2.call(_branch7x7x3_1.call(input))));
        Tensor branchPool = nn.functional.max_pool2d(input, 3, stride: 2);
        return cat([branch3x3, branch7x7x3, branchPool], 1).MoveToOuterDisposeScope();
    }
}
