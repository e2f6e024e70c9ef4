using NeuralStyle.Zoo.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.ENet;

/// <summary>ENet's initial block: a 3x3/2 convolution to (out - 3) maps concatenated with a max-pool of the input, then batch norm and activation.</summary>
/// <remarks>The port pools 3x3/2 with padding 1 (the paper says 2x2), so both branches give ceil(H/2) x ceil(W/2).</remarks>
public sealed class InitialBlock : ExplicitModule
{
    private readonly Conv2d _main;
    private readonly MaxPool2d _ext;
    private readonly BatchNorm2d _batchNorm;
    private readonly nn.Module<Tensor, Tensor> _activation;

    /// <summary>Creates the block.</summary>
    public InitialBlock(long inChannels, long outChannels, bool relu)
        : base(nameof(InitialBlock))
    {
        _main = nn.Conv2d(inChannels, outChannels - inChannels, 3, stride: 2, padding: 1, bias: false);
        _ext = nn.MaxPool2d(3, stride: 2, padding: 1);
        _batchNorm = nn.BatchNorm2d(outChannels);
        _activation = Activations.Create(relu);
        register_module("main_branch", _main);
        register_module("ext_branch", _ext);
        register_module("batch_norm", _batchNorm);
        register_module("out_activation", _activation);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor joined = cat([_main.call(input), _ext.call(input)], 1);
        return _activation.call(_batchNorm.call(joined)).MoveToOuterDisposeScope();
    }
}
