using NeuralStyle.Zoo.Blocks;
using NeuralStyle.Zoo.Inception;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.InceptionV3;

/// <summary>torchvision's InceptionB (Mixed_6a, 35x35 to 17x17): 3x3/2; 1x1, 3x3, 3x3/2; 3x3/2 max pool passed through.</summary>
public sealed class InceptionB : ExplicitModule
{
    private readonly BasicConv2d _branch3x3;
    private readonly BasicConv2d _branch3x3dbl_1;
    private readonly BasicConv2d _branch3x3dbl_2;
    private readonly BasicConv2d _branch3x3dbl_3;

    /// <summary>Output channels 480 + <paramref name="inChannels"/>.</summary>
    public InceptionB(long inChannels)
        : base(nameof(InceptionB))
    {
        _branch3x3 = new BasicConv2d(inChannels, 384, 3, stride: 2);
        _branch3x3dbl_1 = new BasicConv2d(inChannels, 64, 1);
        _branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
        _branch3x3dbl_3 = new BasicConv2d(96, 96, 3, stride: 2);
        register_module("branch3x3", _branch3x3);
        register_module("branch3x3dbl_1", _branch3x3dbl_1);
        register_module("branch3x3dbl_2", _branch3x3dbl_2);
        register_module("branch3x3dbl_3", _branch3x3dbl_3);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        // Frees the branches' intermediates when the block ends, as PyTorch's reference counting does; without it a
        // whole forward's activations stayed alive until the caller's scope, and every layer wrote to fresh memory.
        using var scope = NewDisposeScope();
        Tensor branch3x3 = _branch3x3.call(input);
        Tensor branch3x3dbl = _branch3x3dbl_3.call(_branch3x3dbl_2.call(_branch3x3dbl_1.call(input)));
        Tensor branchPool = nn.functional.max_pool2d(input, 3, stride: 2);
        return cat([branch3x3, branch3x3dbl, branchPool], 1).MoveToOuterDisposeScope();
    }
}
