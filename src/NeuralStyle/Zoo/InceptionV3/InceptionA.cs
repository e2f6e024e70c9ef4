using NeuralStyle.Zoo.Blocks;
using NeuralStyle.Zoo.Inception;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.InceptionV3;

/// <summary>torchvision's InceptionA (Mixed_5b/5c/5d, 35x35): 1x1; 1x1 then 5x5; 1x1 then two 3x3; 3x3 average pool then 1x1.</summary>
public sealed class InceptionA : ExplicitModule
{
    private readonly BasicConv2d _branch1x1;
    private readonly BasicConv2d _branch5x5_1;
    private readonly BasicConv2d _branch5x5_2;
    private readonly BasicConv2d _branch3x3dbl_1;
    private readonly BasicConv2d _branch3x3dbl_2;
    private readonly BasicConv2d _branch3x3dbl_3;
    private readonly BasicConv2d _branchPool;

    /// <summary>Output channels 224 + <paramref name="poolFeatures"/>.</summary>
    public InceptionA(long inChannels, long poolFeatures)
        : base(nameof(InceptionA))
    {
        _branch1x1 = new BasicConv2d(inChannels, 64, 1);
        _branch5x5_1 = new BasicConv2d(inChannels, 48, 1);
        _branch5x5_2 = new BasicConv2d(48, 64, 5, padding: 2);
        _branch3x3dbl_1 = new BasicConv2d(inChannels, 64, 1);
        _branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
        _branch3x3dbl_3 = new BasicConv2d(96, 96, 3, padding: 1);
        _branchPool = new BasicConv2d(inChannels, poolFeatures, 1);
        register_module("branch1x1", _branch1x1);
        register_module("branch5x5_1", _branch5x5_1);
        register_module("branch5x5_2", _branch5x5_2);
        register_module("branch3x3dbl_1", _branch3x3dbl_1);
        register_module("branch3x3dbl_2", _branch3x3dbl_2);
        register_module("branch3x3dbl_3", _branch3x3dbl_3);
        register_module("branch_pool", _branchPool);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        // Frees the branches' intermediates when the block ends, as PyTorch's reference counting does; without it a
        // whole forward's activations stayed alive until the caller's scope, and every layer wrote to fresh memory.
        using var scope = NewDisposeScope();
        Tensor branch1x1 = _branch1x1.call(input);
        Tensor branch5x5 = _branch5x5_2.call(_branch5x5_1.call(input));
        Tensor branch3x3dbl = _branch3x3dbl_3.call(_branch3x3dbl_2.call(_branch3x3dbl_1.call(input)));
        Tensor branchPool = _branchPool.call(nn.functional.avg_pool2d(input, 3, stride: 1, padding: 1));
        return cat([branch1x1, branch5x5, branch3x3dbl, branchPool], 1).MoveToOuterDisposeScope();
    }
}
