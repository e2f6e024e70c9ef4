using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using NeuralStyle.Zoo.Blocks;

namespace NeuralStyle.Zoo.ENet;

/// <summary>ENet's downsampling bottleneck: 2x2/2 max-pool (its indices kept for the decoder) zero-padded to the output channels, plus (2x2/2 projection, 3x3, 1x1 expansion, spatial dropout).</summary>
/// <remarks>Returns the output and the max-pool indices (flat positions within each input map, as PyTorch's return_indices).</remarks>
public sealed class DownsamplingBottleneck : nn.Module<Tensor, (Tensor Output, Tensor Indices)>
{
    private readonly MaxPool2d _max;
    private readonly Sequential _conv1;
    private readonly Sequential _conv2;
    private readonly Sequential _conv3;
    private readonly ZooDropout _regul;
    private readonly nn.Module<Tensor, Tensor> _activation;

    /// <summary>Creates the block (internal width in / 4).</summary>
    public DownsamplingBottleneck(long inChannels, long outChannels, double dropout, bool relu)
        : base(nameof(DownsamplingBottleneck))
    {
        long inner = inChannels / 4;
        _max = nn.MaxPool2d(2, stride: 2);
        _conv1 = Activations.ConvBn(nn.Conv2d(inChannels, inner, 2, stride: 2, bias: false), inner, relu);
        _conv2 = Activations.ConvBn(nn.Conv2d(inner, inner, 3, padding: 1, bias: false), inner, relu);
        _conv3 = Activations.ConvBn(nn.Conv2d(inner, outChannels, 1, bias: false), outChannels, relu);
        _regul = new ZooDropout(dropout, channels: true);
        _activation = Activations.Create(relu);
        register_module("main_max1", _max);
        register_module("ext_conv1", _conv1);
        register_module("ext_conv2", _conv2);
        register_module("ext_conv3", _conv3);
        register_module("ext_regul", _regul);
        register_module("out_activation", _activation);
    }

    /// <inheritdoc />
    public override (Tensor Output, Tensor Indices) forward(Tensor input)
    {
        using var scope = NewDisposeScope();

        // The pool is called for its indices too, which only forward_with_indices gives (it has no hooks; it has no
        // parameters or multiply-adds either).
        (Tensor main, Tensor indices) = _max.forward_with_indices(input);
        Tensor ext = _regul.call(_conv3.call(_conv2.call(_conv1.call(input))));
        long missing = ext.shape[1] - main.shape[1];
        main = nn.functional.pad(main, [0, 0, 0, 0, 0, missing]);
        Tensor output = _activation.call(main.add(ext));
        return (output.MoveToOuterDisposeScope(), indices.MoveToOuterDisposeScope());
    }

    /// <summary>Does nothing: submodules are registered explicitly under PyTorch's names, and TorchSharp's field reflection would add them again under the field names.</summary>
    protected override void RegisterComponents()
    {
    }
}
