using NeuralStyle.Kernels.Reference;
using static TorchSharp.torch;

namespace NeuralStyle.Kernels;

/// <summary>linear (x W^T + b): output, input, weight and bias gradients.</summary>
public sealed class LinearCase : KernelCase
{
    private readonly HostTensor _x;
    private readonly HostTensor _weight;
    private readonly HostTensor? _bias;
    private readonly HostTensor _upstream;

    /// <summary>A batch x inFeatures input through an outFeatures x inFeatures weight.</summary>
    public LinearCase(int batch, int inFeatures, int outFeatures, bool bias = true, int seed = 1)
        : base(seed)
    {
        var random = new Random(seed);
        _x = RandomInput(random, batch, inFeatures);
        _weight = RandomInput(random, outFeatures, inFeatures);
        _bias = bias ? RandomInput(random, outFeatures) : null;
        _upstream = RandomInput(random, batch, outFeatures);
    }

    /// <inheritdoc />
    public override string Operation => "linear";

    /// <inheritdoc />
    public override string Name => $"linear x{Shape(_x.Shape)} w{Shape(_weight.Shape)}{(_bias is null ? " no bias" : "")}";

    /// <inheritdoc />
    public override IReadOnlyList<long> AllocationSizes => [_upstream.Count, _x.Count, _weight.Count];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> Evaluate()
    {
        Tensor x = ToTorch(_x, requiresGrad: true);
        Tensor w = ToTorch(_weight, requiresGrad: true);
        Tensor? b = _bias is null ? null : ToTorch(_bias, requiresGrad: true);
        Tensor y = nn.functional.linear(x, w, b);
        (y * ToTorch(_upstream, requiresGrad: false)).sum().backward();
        return LayerResults(y.detach(), x.grad!, w.grad!, b?.grad);
    }

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, double[]> ComputeReference() => Outputs(_x, _weight, _bias, _upstream);

    /// <inheritdoc />
    /// <remarks>Every output is multilinear in the inputs, so evaluating on absolute values gives the sums of |terms|.</remarks>
    protected override IReadOnlyDictionary<string, double[]> ComputeMagnitudes() =>
        Outputs(Abs(_x), Abs(_weight), _bias is null ? null : Abs(_bias), Abs(_upstream));

    private static Dictionary<string, double[]> Outputs(HostTensor x, HostTensor weight, HostTensor? bias, HostTensor upstream)
    {
        LinearResult r = LinearReference.Evaluate(x, weight, bias, upstream);
        return LayerResults(r.Output.Data, r.InputGrad.Data, r.WeightGrad.Data, r.BiasGrad?.Data);
    }
}
