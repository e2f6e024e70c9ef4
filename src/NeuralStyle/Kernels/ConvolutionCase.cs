using System.Globalization;
using NeuralStyle.Kernels.Reference;
using static TorchSharp.torch;

namespace NeuralStyle.Kernels;

/// <summary>conv2d or conv_transpose2d: output, input gradient, weight gradient and (with a bias) bias gradient.</summary>
/// <remarks>
/// With <c>bfloat16</c> the case checks the reduced-precision engine path instead (see NeuralStyle.Runtime.Bf16Guard):
/// a float32 input cast to bfloat16, bfloat16 weights and bias, the output cast back to float32, and the gradient
/// with respect to the input only (the engine's weights are frozen), against the same float64 reference of the
/// float32 inputs, so that the error measured includes the rounding of the inputs to bfloat16.
/// </remarks>
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
    /// <param name="bfloat16">Compute in bfloat16 (output and input gradient only; conv2d only).</param>
    public ConvolutionCase(int batch, int inChannels, int outChannels, int height, int width, (int H, int W) kernel, ConvGeometry geometry, bool bias = true, bool transposed = false, int seed = 1, bool bfloat16 = false)
        : base(seed)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (bfloat16 && transposed)
        {
            throw new ArgumentException("the bfloat16 case is a plain convolution (the engine has no transposed one)", nameof(bfloat16));
        }

        Geometry = geometry;
        Transposed = transposed;
        BFloat16 = bfloat16;
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

    /// <summary>Whether LibTorch computes in bfloat16 (the reduced-precision engine path).</summary>
    public bool BFloat16 { get; }

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

            if (BFloat16)
            {
                text.Append(" bf16");
            }

            return text.ToString();
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<long> AllocationSizes => [_upstream.Count, _x.Count, _weight.Count];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> Evaluate()
    {
        if (BFloat16)
        {
            return EvaluateBFloat16();
        }

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
    protected override IReadOnlyDictionary<string, double[]> ComputeReference() => Checked(Outputs(_x, _weight, _bias, _upstream));

    /// <inheritdoc />
    /// <remarks>Every output is multilinear in the inputs, so evaluating on absolute values gives the sums of |terms|.</remarks>
    protected override IReadOnlyDictionary<string, double[]> ComputeMagnitudes() =>
        Checked(Outputs(Abs(_x), Abs(_weight), _bias is null ? null : Abs(_bias), Abs(_upstream)));

    // The engine's path: the image's float32 tensor cast to bfloat16 on the way in, frozen bfloat16 weights, the
    // feature cast back to float32 for the losses; the gradient reaches the float32 input through both casts.
    private Dictionary<string, Tensor> EvaluateBFloat16()
    {
        Tensor x = ToTorch(_x, requiresGrad: true);
        Tensor w = ToTorch(_weight, requiresGrad: false).to(ScalarType.BFloat16);
        Tensor? b = _bias is null ? null : ToTorch(_bias, requiresGrad: false).to(ScalarType.BFloat16);
        ConvGeometry g = Geometry;
        Tensor y = nn.functional.conv2d(x.to(ScalarType.BFloat16), w, b, [g.Stride.H, g.Stride.W], [g.Padding.H, g.Padding.W], [g.Dilation.H, g.Dilation.W], g.Groups)
            .to(ScalarType.Float32);
        (y * ToTorch(_upstream, requiresGrad: false)).sum().backward();
        return new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["output"] = y.detach(), ["input gradient"] = x.grad! };
    }

    // The bfloat16 case compares only what it computes.
    private Dictionary<string, double[]> Checked(Dictionary<string, double[]> outputs) =>
        BFloat16 ? outputs.Where(o => o.Key is "output" or "input gradient").ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal) : outputs;

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
