using System.Globalization;
using NeuralStyle.Kernels.Reference;
using static TorchSharp.torch;

namespace NeuralStyle.Kernels;

/// <summary>max_pool2d or avg_pool2d (square windows): output and input gradient.</summary>
public sealed class PoolingCase : KernelCase
{
    private readonly HostTensor _x;
    private readonly HostTensor _upstream;
    private readonly int _kernel;
    private readonly int _stride;
    private readonly int _padding;
    private readonly int _dilation;
    private readonly bool _ceilMode;
    private readonly bool _countIncludePad;

    private PoolingCase(bool max, int batch, int channels, int height, int width, int kernel, int stride, int padding, int dilation, bool ceilMode, bool countIncludePad, int seed)
        : base(seed)
    {
        IsMax = max;
        _kernel = kernel;
        _stride = stride;
        _padding = padding;
        _dilation = dilation;
        _ceilMode = ceilMode;
        _countIncludePad = countIncludePad;
        var random = new Random(seed);
        _x = RandomInput(random, batch, channels, height, width);
        _upstream = RandomInput(random, Pool2dReference.OutputShape(_x.Shape, (kernel, kernel), (stride, stride), (padding, padding), (dilation, dilation), ceilMode));
    }

    /// <summary>Whether this is max pooling (else average pooling).</summary>
    public bool IsMax { get; }

    /// <summary>max_pool2d with a square window.</summary>
    public static PoolingCase Max(int batch, int channels, int height, int width, int kernel, int stride, int padding = 0, int dilation = 1, bool ceilMode = false, int seed = 1) =>
        new(true, batch, channels, height, width, kernel, stride, padding, dilation, ceilMode, countIncludePad: false, seed);

    /// <summary>avg_pool2d with a square window.</summary>
    public static PoolingCase Average(int batch, int channels, int height, int width, int kernel, int stride, int padding = 0, bool ceilMode = false, bool countIncludePad = true, int seed = 1) =>
        new(false, batch, channels, height, width, kernel, stride, padding, dilation: 1, ceilMode, countIncludePad, seed);

    /// <inheritdoc />
    public override string Operation => IsMax ? "max_pool2d" : "avg_pool2d";

    /// <inheritdoc />
    public override string Name => string.Create(CultureInfo.InvariantCulture,
        $"{Operation} x{Shape(_x.Shape)} kernel {_kernel} stride {_stride} pad {_padding}{(_dilation != 1 ? $" dilation {_dilation}" : "")}{(_ceilMode ? " ceil" : "")}{(!IsMax && !_countIncludePad ? " exclude pad" : "")}");

    /// <inheritdoc />
    public override IReadOnlyList<long> AllocationSizes => [_upstream.Count, _x.Count];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> Evaluate()
    {
        Tensor x = ToTorch(_x, requiresGrad: true);
        long[] k = [_kernel, _kernel], s = [_stride, _stride], p = [_padding, _padding];
        Tensor y = IsMax
            ? nn.functional.max_pool2d(x, k, s, p, [_dilation, _dilation], _ceilMode)
            : nn.functional.avg_pool2d(x, k, s, p, _ceilMode, _countIncludePad);
        (y * ToTorch(_upstream, requiresGrad: false)).sum().backward();
        return new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["output"] = y.detach(), ["input gradient"] = x.grad! };
    }

    /// <inheritdoc />
    /// <remarks>Average pooling is linear: its sums of |terms| come from absolute inputs. Max pooling adds nothing up.</remarks>
    protected override IReadOnlyDictionary<string, double[]> ComputeMagnitudes()
    {
        if (IsMax)
        {
            return base.ComputeMagnitudes();
        }

        PoolResult r = Pool2dReference.AvgPool(Abs(_x), (_kernel, _kernel), (_stride, _stride), (_padding, _padding), _ceilMode, _countIncludePad, Abs(_upstream));
        return new Dictionary<string, double[]>(StringComparer.Ordinal) { ["output"] = r.Output.Data, ["input gradient"] = r.InputGrad.Data };
    }

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, double[]> ComputeReference()
    {
        PoolResult r = IsMax
            ? Pool2dReference.MaxPool(_x, (_kernel, _kernel), (_stride, _stride), (_padding, _padding), (_dilation, _dilation), _ceilMode, _upstream)
            : Pool2dReference.AvgPool(_x, (_kernel, _kernel), (_stride, _stride), (_padding, _padding), _ceilMode, _countIncludePad, _upstream);
        return new Dictionary<string, double[]>(StringComparer.Ordinal) { ["output"] = r.Output.Data, ["input gradient"] = r.InputGrad.Data };
    }
}
