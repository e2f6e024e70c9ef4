using System.Globalization;
using NeuralStyle.Kernels.Reference;
using static TorchSharp.torch;

namespace NeuralStyle.Kernels;

/// <summary>conv2d or conv_transpose2d: output, input gradient, weight gradient and (with a bias) bias gradient.</summary>
public sealed class ConvolutionCase : KernelCase
{
    private readonly HostTensor _x;
    private readonly HostTensor _weight;
    private readonly HostTensor? _bias;
    private readonly HostTensor _upstream;

    /// <summary>A convolution of a batch x inChannels x height x width input.</summary>
    /// <param name="batch">N.</param>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="height">Input height.</param>
    /// <param name="width">Input width.</param>
    /// <param name="kernel">Kernel size (height, width).</param>
    /// <param name="geometry">Stride, padding, dilation, groups (and output padding when transposed).</param>
    /// <param name="bias">Whether the convolution has a bias.</param>
    /// <param name="transposed">conv_transpose2d instead of conv2d.</param>
    /// <param name="seed">Seed of the random inputs.</param>
    public ConvolutionCase(int batch, int inChannels, int outChannels, int height, int width, (int H, int W) kernel, ConvGeometry geometry, bool bias = true, bool transposed = false, int seed = 1)
        : base(seed)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Geometry = geometry;
        Transposed = transposed;
        var random = new Random(seed);
        long[] weightShape = transposed
            ? [inChannels, outChannels / geometry.Groups, kernel.H, kernel.W]
            : [outChannels, inChannels / geometry.Groups, kernel.H, kernel.W];
        _x = RandomInput(random, batch, inChannels, height, width);
        _weight = RandomInput(random, weightShape);
        _bias = bias ? RandomInput(random, outChannels) : null;
        long[] outputShape = transposed
            ? Conv2dReference.TransposedOutputShape(_x.Shape, _weight.Shape, geometry)
            : Conv2dReference.OutputShape(_x.Shape, _weight.Shape, geometry);
        _upstream = RandomInput(random, outputShape);
    }

    /// <summary>Stride, padding, dilation, groups.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>Whether this is conv_transpose2d.</summary>
    public bool Transposed { get; }

    /// <summary>Input shape.</summary>
    public long[] InputShape => _x.Shape;

    /// <summary>Weight shape.</summary>
    public long[] WeightShape => _weight.Shape;

    /// <inheritdoc />
    public override string Operation => Transposed ? "conv_transpose2d" : "conv2d";

    /// <inheritdoc />
    public override string Name
    {
        get
        {
            ConvGeometry g = Geometry;
            var text = new System.Text.StringBuilder($"{Operation} x{Shape(_x.Shape)} w{Shape(_weight.Shape)}");
            Pair(text, "stride", g.Stride, 1);
            Pair(text, "pad", g.Padding, 0);
            Pair(text, "dilation", g.Dilation, 1);
            if (Transposed)
            {
                Pair(text, "output pad", g.OutputPadding, 0);
            }

            if (g.Groups != 1)
            {
                text.Append(CultureInfo.InvariantCulture, $" groups {g.Groups}");
            }

            if (_bias is null)
            {
                text.Append(" no bias");
            }

            return text.ToString();
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<long> AllocationSizes => [_upstream.Count, _x.Count, _weight.Count];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> Evaluate()
    {
        Tensor x = ToTorch(_x, requiresGrad: true);
        Tensor w = ToTorch(_weight, requiresGrad: true);
        Tensor? b = _bias is null ? null : ToTorch(_bias, requiresGrad: true);
        ConvGeometry g = Geometry;
        long[] stride = [g.Stride.H, g.Stride.W], padding = [g.Padding.H, g.Padding.W], dilation = [g.Dilation.H, g.Dilation.W];
        Tensor y = Transposed
            ? nn.functional.conv_transpose2d(x, w, b, stride, padding, [g.OutputPadding.H, g.OutputPadding.W], dilation, g.Groups)
            : nn.functional.conv2d(x, w, b, stride, padding, dilation, g.Groups);
        (y * ToTorch(_upstream, requiresGrad: false)).sum().backward();
        return LayerResults(y.detach(), x.grad!, w.grad!, b?.grad);
    }

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, double[]> ComputeReference() => Outputs(_x, _weight, _bias, _upstream);

    /// <inheritdoc />
    /// <remarks>Every output is multilinear in the inputs, so evaluating on absolute values gives the sums of |terms|.</remarks>
    protected override IReadOnlyDictionary<string, double[]> ComputeMagnitudes() =>
        Outputs(Abs(_x), Abs(_weight), _bias is null ? null : Abs(_bias), Abs(_upstream));

    private Dictionary<string, double[]> Outputs(HostTensor x, HostTensor weight, HostTensor? bias, HostTensor upstream)
    {
        ConvResult r = Transposed
            ? Conv2dReference.EvaluateTransposed(x, weight, bias, Geometry, upstream)
            : Conv2dReference.Evaluate(x, weight, bias, Geometry, upstream);
        return LayerResults(r.Output.Data, r.InputGrad.Data, r.WeightGrad.Data, r.BiasGrad?.Data);
    }

    private static void Pair(System.Text.StringBuilder text, string label, (int H, int W) value, int neutral)
    {
        if (value.H == neutral && value.W == neutral)
        {
            return;
        }

        text.Append(value.H == value.W ? string.Create(CultureInfo.InvariantCulture, $" {label} {value.H}") : string.Create(CultureInfo.InvariantCulture, $" {label} {value.H}x{value.W}"));
    }
}
