using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.SqueezeNet;

/// <summary>SqueezeNet's Fire module: a 1x1 squeeze, then 1x1 and 3x3 expansions side by side, concatenated; ReLU after each convolution.</summary>
/// <remarks>Submodule names are torchvision's (<c>squeeze</c>, <c>expand1x1</c>, <c>expand3x3</c> and their <c>_activation</c>s).</remarks>
public sealed class Fire : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _squeeze;
    private readonly ReLU _squeezeActivation;
    private readonly Conv2d _expand1x1;
    private readonly ReLU _expand1x1Activation;
    private readonly Conv2d _expand3x3;
    private readonly ReLU _expand3x3Activation;

    /// <summary>A Fire module from <paramref name="inputs"/> channels to <paramref name="expand1x1"/> + <paramref name="expand3x3"/>.</summary>
    public Fire(long inputs, long squeeze, long expand1x1, long expand3x3)
        : base(nameof(Fire))
    {
        _squeeze = nn.Conv2d(inputs, squeeze, 1);
        _squeezeActivation = nn.ReLU();
        _expand1x1 = nn.Conv2d(squeeze, expand1x1, 1);
        _expand1x1Activation = nn.ReLU();
        _expand3x3 = nn.Conv2d(squeeze, expand3x3, 3, padding: 1);
        _expand3x3Activation = nn.ReLU();
        register_module("squeeze", _squeeze);
        register_module("squeeze_activation", _squeezeActivation);
        register_module("expand1x1", _expand1x1);
        register_module("expand1x1_activation", _expand1x1Activation);
        register_module("expand3x3", _expand3x3);
        register_module("expand3x3_activation", _expand3x3Activation);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using Tensor squeezed = _squeeze.call(input);
        using Tensor s = _squeezeActivation.call(squeezed);
        using Tensor e1 = _expand1x1.call(s);
        using Tensor a1 = _expand1x1Activation.call(e1);
        using Tensor e3 = _expand3x3.call(s);
        using Tensor a3 = _expand3x3Activation.call(e3);
        return cat([a1, a3], 1);
    }
}
