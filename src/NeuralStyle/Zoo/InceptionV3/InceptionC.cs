using NeuralStyle.Zoo.Blocks;
using NeuralStyle.Zoo.Inception;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.InceptionV3;

/// <summary>torchvision's InceptionC (Mixed_6b..6e, 17x17): 7x7 convolutions factorised into 1x7 and 7x1.</summary>
public sealed class InceptionC : ExplicitModule
{
    private readonly BasicConv2d _branch1x1;
    private readonly BasicConv2d _branch7x7_1;
    private readonly BasicConv2d _branch7x7_2;
    private readonly BasicConv2d _branch7x7_3;
    private readonly BasicConv2d _branch7x7dbl_1;
    private readonly BasicConv2d _branch7x7dbl_2;
    private readonly BasicConv2d _branch7x7dbl_3;
    private readonly BasicConv2d _branch7x7dbl_4;
    private readonly BasicConv2d _branch7x7dbl_5;
    private readonly BasicConv2d _branchPool;

    /// <summary>768 output channels; <paramref name="channels7x7"/> is the width inside the factorised branches.</summary>
    public InceptionC(long inChannels, long channels7x7)
        : base(nameof(InceptionC))
    {
        long c7 = channels7x7;
        _branch1x1 = new BasicConv2d(inChannels, 192, 1);
        _branch7x7_1 = new BasicConv2d(inChannels, c7, 1);
        _branch7x7_2 = new BasicConv2d(c7, c7, (1, 7), (0, 3));
        _branch7x7_3 = new BasicConv2d(c7, 192, (7, 1), (3, 0));
        _branch7x7dbl_1 = new BasicConv2d(inChannels, c7, 1);
        _branch7x7dbl_2 = new BasicConv2d(c7, c7, (7, 1), (3, 0));
        _branch7x7dbl_3 = new BasicConv2d(c7, c7, (1, 7), (0, 3));
        _branch7x7dbl_4 = new BasicConv2d(c7, c7, (7, 1), (3, 0));
        _branch7x7dbl_5 = new BasicConv2d(c7, 192, (1, 7), (0, 3));
        _branchPool = new BasicConv2d(inChannels, 192, 1);
        register_module("branch1x1", _branch1x1);
        register_module("branch7x7_1", _branch7x7_1);
        register_module("branch7x7_2", _branch7x7_2);
        register_module("branch7x7_3", _branch7x7_3);
        register_module("branch7x7dbl_1", _branch7x7dbl_1);
        register_module("branch7x7dbl_2", _branch7x7dbl_2);
        register_module("branch7x7dbl_3", _branch7x7dbl_3);
        register_module("branch7x7dbl_4", _branch7x7dbl_4);
        register_module("branch7x7dbl_5", _branch7x7dbl_5);
        register_module("branch_pool", _branchPool);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        // Frees the branches' intermediates when the block ends, as PyTorch's reference counting does; without it a
        // whole forward's activations stayed alive until the caller's scope, and every layer wrote to fresh memory.
        using var scope = NewDisposeScope();
        Tensor branch1x1 = _branch1x1.call(input);
        Tensor branch7x7 = _branch7x7_3.call(_branch7x7_2.call(_branch7x7_1.call(input)));
        Tensor branch7x7dbl = _branch7x7dbl_1.call(input);
        branch7x7dbl = _branch7x7dbl_5.call(_branch7x7dbl_4.call(_branch7x7dbl_3.call(_branch7x7dbl_2.call(branch7x7dbl))));
        Tensor branchPool = _branchPool.call(nn.functional.avg_pool2d(input, 3, stride: 1, padding: 1));
        return cat([branch1x1, branch7x7, branch7x7dbl, branchPool], 1).MoveToOuterDisposeScope();
    }
}
