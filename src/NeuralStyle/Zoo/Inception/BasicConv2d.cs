using NeuralStyle.Zoo.Blocks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Inception;

/// <summary>torchvision's BasicConv2d (GoogLeNet, Inception v3): convolution without bias, batch norm with eps 1e-3, ReLU.</summary>
/// <remarks>Keys <c>conv.weight</c> and <c>bn.*</c>; the ReLU is functional in torchvision, so it has no module here either.</remarks>
public sealed class BasicConv2d : ExplicitModule
{
    private readonly Conv2d _conv;
    private readonly BatchNorm2d _bn;

    /// <summary>A square <paramref name="kernel"/> with the same stride and padding on both axes.</summary>
    public BasicConv2d(long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0)
        : this(inChannels, outChannels, (kernel, kernel), (padding, padding), (stride, stride))
    {
    }

    /// <summary>A possibly rectangular kernel (Inception v3's 1x7, 7x1, 1x3, 3x1), height first.</summary>
    public BasicConv2d(long inChannels, long outChannels, (long Height, long Width) kernel, (long Height, long Width) padding, (long Height, long Width)? stride = null)
        : base(nameof(BasicConv2d))
    {
        _conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride ?? (1, 1), padding: padding, bias: false);
        _bn = nn.BatchNorm2d(outChannels, eps: 1e-3);
        register_module("conv", _conv);
        register_module("bn", _bn);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        // The convolution's and batch norm's outputs are freed at once, as PyTorch frees them, not at the caller's scope.
        using var scope = NewDisposeScope();
        return nn.functional.relu(_bn.call(_conv.call(input))).MoveToOuterDisposeScope();
    }
}
