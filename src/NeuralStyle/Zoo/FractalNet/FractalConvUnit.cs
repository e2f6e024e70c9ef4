using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using NeuralStyle.Zoo.Blocks;

namespace NeuralStyle.Zoo.FractalNet;

/// <summary>FractalNet's convolution unit: 3x3 convolution (pad 1, no bias) -> dropout -> batch norm -> ReLU.</summary>
/// <remarks>
/// khanrc's ConvBlock: keys <c>conv.weight</c> and <c>bn.*</c>. Its dropout is channel-wise (Dropout2d) and is only
/// built when the block's probability is positive; it pads with a separate ZeroPad2d, which has no parameters, so a
/// padded convolution gives the same keys and values.
/// </remarks>
public sealed class FractalConvUnit : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "conv")]
    private readonly Conv2d _conv;

    [ComponentName(Name = "dropout")]
    private readonly ZooDropout? _dropout;

    [ComponentName(Name = "bn")]
    private readonly BatchNorm2d _bn;

    /// <summary>Creates a unit from <paramref name="inChannels"/> to <paramref name="outChannels"/> channels.</summary>
    public FractalConvUnit(long inChannels, long outChannels, double dropout)
        : base(nameof(FractalConvUnit))
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        DropoutProbability = dropout;
        _conv = nn.Conv2d(inChannels, outChannels, 3, padding: 1, bias: false);
        register_module("conv", _conv);
        if (dropout > 0)
        {
            _dropout = new ZooDropout(dropout, channels: true);
            register_module("dropout", _dropout);
        }

        _bn = nn.BatchNorm2d(outChannels);
        register_module("bn", _bn);
    }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels.</summary>
    public long OutChannels { get; }

    /// <summary>Dropout probability in training mode (0: no dropout module).</summary>
    public double DropoutProbability { get; }

    /// <summary>The convolution (for initialisation).</summary>
    internal Conv2d Convolution => _conv;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Tensor x = _conv.call(input);
        if (_dropout is not null)
        {
            x = _dropout.call(x);
        }

        return nn.functional.relu(_bn.call(x));
    }

    /// <summary>A unit with the same shape and a copy of this one's parameters and buffers.</summary>
    public FractalConvUnit Copy()
    {
        var copy = new FractalConvUnit(InChannels, OutChannels, DropoutProbability);
        copy.load_state_dict(state_dict());
        copy.train(training);
        return copy;
    }
}
