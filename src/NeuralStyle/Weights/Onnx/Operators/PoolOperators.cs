using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool.</summary>
/// <remarks>
/// The windows are always evaluated on an explicitly padded tensor with torch's padding set to 0: torch only pads
/// symmetrically (and at most half a kernel), while ONNX pads may be asymmetric. ceil_mode becomes extra end
/// padding, so the output size is always the one computed here by ONNX's rule.
/// </remarks>
internal static class PoolOperators
{
    /// <summary>Adds this family's factories.</summary>
    public static void Register(IDictionary<string, OnnxOperatorFactory> registry)
    {
        registry["MaxPool"] = MaxPool;
        registry["AveragePool"] = AveragePool;
        registry["GlobalAveragePool"] = ctx => Global(ctx, (x, dims) => x.mean(dims, keepdim: true));
        registry["GlobalMaxPool"] = ctx => Global(ctx, (x, dims) => x.amax(dims, keepdim: true));
    }

    private static OnnxOperator Global(OnnxNodeContext ctx, Func<Tensor, long[], Tensor> reduce)
    {
        ctx.RequireInputs(1, 1);
        ctx.LimitOutputs(1);
        return ctx.Finish(inputs =>
        {
            Tensor x = inputs[0]!;
            if (x.dim() < 3)
            {
                throw new InvalidOperationException($"expects N x C x spatial axes but got {TensorValues.Shape(x)}");
            }

            return reduce(x, Enumerable.Range(2, (int)x.dim() - 2).Select(i => (long)i).ToArray());
        });
    }

    private static (long[] Kernel, bool CeilMode) Window(OnnxNodeContext ctx)
    {
        long[] kernel = ctx.Ints("kernel_shape") ?? throw ctx.Invalid("attribute 'kernel_shape' is required");
        if (kernel.Length is < 1 or > 3)
        {
            throw ctx.Unsupported($"{kernel.Length} spatial axes; 1 to 3 are supported");
        }

        long ceil = ctx.Int("ceil_mode", 0);
        if (ceil is not (0 or 1))
        {
            throw ctx.Invalid($"ceil_mode {ceil} is neither 0 nor 1");
        }

        return (kernel, ceil == 1);
    }

    private static OnnxOperator MaxPool(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(1, 1);
        ctx.LimitOutputs(1, " (max-pool indices)");
        (long[] kernel, bool ceil) = Window(ctx);
        // storage_order only changes how the (unsupported) indices output is laid out.
        ctx.Ignore("storage_order");
        return ctx.Finish(new MaxPoolOperator(SpatialGeometry.Read(ctx, kernel, hasDilations: ctx.Opset >= 10), ceil));
    }

    private static OnnxOperator AveragePool(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(1, 1);
        ctx.LimitOutputs(1);
        (long[] kernel, bool ceil) = Window(ctx);
        bool includePad = ctx.Int("count_include_pad", 0) != 0;
        long[]? dilations = ctx.Ints("dilations");
        if (dilations is not null && dilations.Any(d => d != 1))
        {
            throw ctx.Unsupported("dilated average pooling is not supported");
        }

        return ctx.Finish(new AveragePoolOperator(SpatialGeometry.Read(ctx, kernel, hasDilations: false), ceil, includePad));
    }

    /// <summary>Where the window operator's padded input starts and ends, and how many windows fit on each axis.</summary>
    private readonly record struct Layout(long[] Begin, long[] End, long[] Extra, long[] Output);

    private static Layout Plan(SpatialGeometry g, long[] input, bool ceilMode)
    {
        (long[] begin, long[] end) = g.Resolve(input);
        int n = g.Rank;
        var extra = new long[n];
        var output = new long[n];
        for (int i = 0; i < n; i++)
        {
            long padded = input[i] + begin[i] + end[i];
            long span = padded - g.EffectiveKernel(i);
            if (span < 0)
            {
                throw new InvalidOperationException($"the window ({g.EffectiveKernel(i)}) is larger than the padded input ({padded}) on spatial axis {i}");
            }

            long count = (span / g.Strides[i]) + 1;
            if (ceilMode && g.AutoPad is AutoPad.NotSet && span % g.Strides[i] != 0)
            {
                count++;
                // As in ONNX Runtime and PyTorch: a last window that would start in the end padding is dropped.
                if ((count - 1) * g.Strides[i] >= input[i] + begin[i])
                {
                    count--;
                }
            }

            output[i] = count;
            extra[i] = Math.Max(0, ((count - 1) * g.Strides[i]) + g.EffectiveKernel(i) - padded);
        }

        return new Layout(begin, end, extra, output);
    }

    private static long[] Add(long[] a, long[] b) => a.Zip(b, (x, y) => x + y).ToArray();

    private static Tensor Narrow(Tensor y, long[] output)
    {
        Tensor r = y.alias();
        for (int i = 0; i < output.Length; i++)
        {
            if (r.shape[i + 2] > output[i])
            {
                Tensor n = r.narrow(i + 2, 0, output[i]);
                r.Dispose();
                r = n;
            }
        }

        return r;
    }

    private sealed class MaxPoolOperator(SpatialGeometry geometry, bool ceilMode) : OnnxOperator, IWindowOperator
    {
        public SpatialGeometry Geometry { get; } = geometry;

        public override Tensor?[] Evaluate(Tensor?[] inputs)
        {
            Tensor x = inputs[0]!;
            Layout p = Plan(Geometry, SpatialOps.SpatialShape(x, Geometry.Rank, "MaxPool"), ceilMode);
            long[] end = Add(p.End, p.Extra);
            if (!SpatialOps.Any(p.Begin) && !SpatialOps.Any(end))
            {
                using Tensor plain = SpatialOps.MaxPool(x, Geometry.Kernel, Geometry.Strides, Geometry.Dilations);
                return [Narrow(plain, p.Output)];
            }

            using Tensor padded = SpatialOps.Pad(x, p.Begin, end, double.NegativeInfinity);
            using Tensor y = SpatialOps.MaxPool(padded, Geometry.Kernel, Geometry.Strides, Geometry.Dilations);
            return [Narrow(y, p.Output)];
        }
    }

    /// <summary>
    /// Averages as window sum / window count, with the count obtained by pooling a mask that is 1 where an element
    /// counts: the input only, or with count_include_pad also the pads (never the ceil_mode extension).
    /// </summary>
    private sealed class AveragePoolOperator(SpatialGeometry geometry, bool ceilMode, bool countIncludePad) : OnnxOperator, IWindowOperator
    {
        public SpatialGeometry Geometry { get; } = geometry;

        public override Tensor?[] Evaluate(Tensor?[] inputs)
        {
            Tensor x = inputs[0]!;
            long[] spatial = SpatialOps.SpatialShape(x, Geometry.Rank, "AveragePool");
            Layout p = Plan(Geometry, spatial, ceilMode);
            long[] end = Add(p.End, p.Extra);
            if (!SpatialOps.Any(p.Begin) && !SpatialOps.Any(end))
            {
                using Tensor plain = SpatialOps.AvgPool(x, Geometry.Kernel, Geometry.Strides);
                return [Narrow(plain, p.Output)];
            }

            using Tensor padded = SpatialOps.Pad(x, p.Begin, end, 0);
            using Tensor sums = SpatialOps.AvgPool(padded, Geometry.Kernel, Geometry.Strides);
            using Tensor counts = Counts(spatial, p, x.dtype);
            using Tensor y = sums.div(counts);
            return [Narrow(y, p.Output)];
        }

        private Tensor Counts(long[] spatial, Layout p, ScalarType dtype)
        {
            using var scope = NewDisposeScope();
            Tensor mask = ones([1, 1, .. spatial], dtype);
            if (countIncludePad)
            {
                mask = SpatialOps.Pad(mask, p.Begin, p.End, 1);
                mask = SpatialOps.Pad(mask, new long[p.Begin.Length], p.Extra, 0);
            }
            else
            {
                mask = SpatialOps.Pad(mask, p.Begin, Add(p.End, p.Extra), 0);
            }

            return SpatialOps.AvgPool(mask, Geometry.Kernel, Geometry.Strides).MoveToOuterDisposeScope();
        }
    }
}
