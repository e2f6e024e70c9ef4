using NeuralStyle.Zoo.Blocks;
using NeuralStyle.Zoo.Inception;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.InceptionV3;

/// <summary>torchvision's InceptionE (Mixed_7b/7c, 8x8): 3x3 branches split into parallel 1x3 and 3x1 whose outputs are concatenated.</summary>
public sealed class InceptionE : ExplicitModule
{
    private readonly BasicConv2d _branch1x1;
    private readonly BasicConv2d _branch3x3_1;
    private readonly BasicConv2d _branch3x3_2a;
    private readonly BasicConv2d _branch3x3_2b;
    private readonly BasicConv2d _branch3x3dbl_1;
    private readonly BasicConv2d _branch3x3dbl_2;
    private readonly BasicConv2d _branch3x3dbl_3a;
    private readonly BasicConv2d _branch3x3dbl_3b;
    private readonly BasicConv2d _branchPool;

    /// <summary>2048 output channels.</summary>
    public InceptionE(long inChannels)
        : base(nameof(InceptionE))
    {
        _branch1x1 = new BasicConv2d(inChannels, 320, 1);
        _branch3x3_1 = new BasicConv2d(inChannels, 384, 1);
        _branch3x3_2a = new BasicConv2d(384, 384, (1, 3), (0, 1));
        _branch3x3_2b = new BasicConv2d(384, 384, (3, 1), (1, 0));
        _branch3x3dbl_1 = new BasicConv2d(inChannels, 448, 1);
        _branch3x3dbl_2 = new BasicConv2d(448, 384, 3, padding: 1);
        _branch3x3dbl_3a = new BasicConv2d(384, 384, (1, 3), (0, 1));
        _branch3x3dbl_3b = new BasicConv2d(384, 384, (3, 1), (1, 0));
        _branchPool = new BasicConv2d(inChannels, 192, 1);
        register_module("branch1x1", _branch1x1);
        register_module("branch3x3_1", _branch3x3_1);
        register_module("branch3x3_2a", _branch3x3_2a);
        register_module("branch3x3_2b", _branch3x3_2b);
        register_module("branch3x3dbl_1", _branch3x3dbl_1);
        register_module("branch3x3dbl_2", _branch3x3dbl_2);
        register_module("branch3x3dbl_3a", _branch3x3dbl_3a);
        register_module("branch3x3dbl_3b", _branch3x3dbl_3b);
        register_module("branch_pool", _branchPool);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        // Frees the branches' intermediates when the block ends, as PyTorch's reference counting does; without it a
        // whole forward's activations stayed alive until the caller's scope, and every layer wrote to fresh memory.
        using var scope = NewDisposeScope();
        Tensor branch1x1 = _branch1x1.call(input);
        Tensor branch3x3 = _branch3x3_1.call(input);
        branch3x3 = cat([_branch3x3_2a.call(branch3x3), _branch3x3_2b.call(branch3x3)], 1);
        Tensor branch3x3dbl = _branch3x3dbl_2.call(_branch3x3dbl_1.call(input));
        branch3x3dbl = cat([_branch3x3dbl_3a.call(branch3x3dbl), _branch3x3dbl_3b.call(branch3x3dbl)], 1);
        Tensor branchPool = _branchPool.call(nn.functional.avg_pool2d(input, 3, stride: 1, padding: 1));
        return cat([branch1x1, branch3x3, branch3x3dbl, branchPool], 1).MoveToOuterDisposeScope();
    }
}
