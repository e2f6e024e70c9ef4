using TorchSharp;
using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Zoo.LeNet;

/// <summary>LeNet-5's subsampling layer (S2, S4): per map, the sum of each non-overlapping 2x2 block times a trainable coefficient, plus a trainable bias.</summary>
/// <remarks>Parameters <c>weight</c> (the coefficients) and <c>bias</c>, one of each per map. The squashing function is a separate module.</remarks>
public sealed class TrainableSubsampling : nn.Module<Tensor, Tensor>
{
    // Named so that module.to(...) finds the fields when it replaces the parameters.
    [ComponentName(Name = "weight")]
    private Parameter _weight;

    [ComponentName(Name = "bias")]
    private Parameter _bias;

    /// <summary>A subsampling layer for <paramref name="channels"/> maps, initialised uniformly in +-2.4 / 4 (the paper's rule, fan-in 4).</summary>
    public TrainableSubsampling(long channels)
        : base(nameof(TrainableSubsampling))
    {
        _weight = nn.Parameter(empty(channels));
        _bias = nn.Parameter(empty(channels));
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
        LeNetInit.Uniform(_weight, fanIn: 4);
        LeNetInit.Uniform(_bias, fanIn: 4);
    }

    /// <summary>The coefficients, one per map.</summary>
    public Parameter weight => _weight;

    /// <summary>The biases, one per map.</summary>
    public Parameter bias => _bias;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Tensor sums = nn.functional.avg_pool2d(input, 2).mul_(4);
        using Tensor coefficients = _weight.view(1, -1, 1, 1);
        using Tensor biases = _bias.view(1, -1, 1, 1);
        using Tensor scaled = sums.mul(coefficients);
        return scaled.add(biases);
    }
}
