using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.LeNet;

/// <summary>LeNet-5's squashing function f(a) = A tanh(S a) with A = 1.7159 and S = 2/3 (LeCun et al. 1998, appendix A).</summary>
/// <remarks>With these constants f(1) = 1 and f(-1) = -1, and the second derivative is largest at +-1.</remarks>
public sealed class ScaledTanh : nn.Module<Tensor, Tensor>
{
    /// <summary>The amplitude A.</summary>
    public const double Amplitude = 1.7159;

    /// <summary>The slope S.</summary>
    public const double Slope = 2.0 / 3.0;

    /// <summary>Creates the activation (no parameters).</summary>
    public ScaledTanh()
        : base(nameof(ScaledTanh))
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using Tensor scaled = input.mul(Slope);
        using Tensor squashed = scaled.tanh();
        return squashed.mul(Amplitude);
    }
}
