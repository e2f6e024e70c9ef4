using static TorchSharp.torch;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>Conv and ConvTranspose.</summary>
internal static class ConvOperators
{
    /// <summary>Adds this family's factories.</summary>
    public static void Register(IDictionary<string, OnnxOperatorFactory> registry)
    {
        registry["Conv"] = Conv;
        registry["ConvTranspose"] = ConvTranspose;
    }

    private static long[] Kernel(OnnxNodeContext ctx)
    {
        long[]? kernel = ctx.Ints("kernel_shape");
        OnnxTensorData? w = ctx.ConstantInput(1);
        if (kernel is null)
        {
            // The window geometry must be known when the graph is built, to check it and to recompute padding.
            kernel = w?.Dimensions.Skip(2).ToArray()
                ?? throw ctx.Unsupported("without kernel_shape the weights must be an initializer");
        }
        else if (w is not null && !w.Dimensions.Skip(2).SequenceEqual(kernel))
        {
            throw ctx.Invalid($"kernel_shape [{string.Join(",", kernel)}] does not match the weights' shape [{string.Join(",", w.Dimensions)}]");
        }

        if (kernel.Length is < 1 or > 3)
        {
            throw ctx.Unsupported($"{kernel.Length} spatial axes; 1 to 3 are supported");
        }

        return kernel;
    }

    private static long Group(OnnxNodeContext ctx)
    {
        long group = ctx.Int("group", 1);
        if (group < 1 || group > SpatialGeometry.MaxWindowValue)
        {
            throw ctx.Invalid($"group {group} is out of range");
        }

        return group;
    }

    private static OnnxOperator Conv(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(2, 3);
        ctx.LimitOutputs(1);
        long[] kernel = Kernel(ctx);
        return ctx.Finish(new ConvOperator(SpatialGeometry.Read(ctx, kernel), Group(ctx)));
    }

    private static OnnxOperator ConvTranspose(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(2, 3);
        ctx.LimitOutputs(1);
        long[] kernel = Kernel(ctx);
        int n = kernel.Length;
        long group = Group(ctx);
        var geometry = SpatialGeometry.Read(ctx, kernel);
        long[] outputPadding = ctx.Ints("output_padding") ?? new long[n];
        SpatialGeometry.Check(ctx, "output_padding", outputPadding, n, 0);
        long[]? outputShape = ctx.Ints("output_shape");
        if (outputShape is not null)
        {
            // Some exporters write N and C in front of the spatial sizes.
            outputShape = outputShape.Length == n + 2 ? outputShape[2..] : outputShape;
            SpatialGeometry.Check(ctx, "output_shape", outputShape, n, 1);
        }

        return ctx.Finish(new ConvTransposeOperator(geometry, group, outputPadding, outputShape));
    }

    private sealed class ConvOperator(SpatialGeometry geometry, long group) : OnnxOperator, IWindowOperator
    {
        public SpatialGeometry Geometry { get; } = geometry;

        public override Tensor?[] Evaluate(Tensor?[] inputs)
        {
            Tensor x = inputs[0]!;
            Tensor w = inputs[1]!;
            Tensor? b = inputs.Length > 2 ? inputs[2] : null;
            long[] spatial = SpatialOps.SpatialShape(x, Geometry.Rank, "Conv");
            (long[] begin, long[] end) = Geometry.Resolve(spatial);
            if (begin.SequenceEqual(end))
            {
                return [SpatialOps.Conv(x, w, b, Geometry.Strides, begin, Geometry.Dilations, group)];
            }

            // torch pads convolutions symmetrically only; asymmetric "same" padding is applied beforehand.
            using Tensor padded = SpatialOps.Pad(x, begin, end, 0);
            return [SpatialOps.Conv(padded, w, b, Geometry.Strides, new long[Geometry.Rank], Geometry.Dilations, group)];
        }
    }

    /// <summary>
    /// Computes the full transposed convolution, stride * (in - 1) + dilated kernel per axis, then adds
    /// output_padding at the end and crops the pads, which is the ONNX output-size formula taken literally.
    /// </summary>
    private sealed class ConvTransposeOperator(SpatialGeometry geometry, long group, long[] outputPadding, long[]? outputShape) : OnnxOperator
    {
        public override Tensor?[] Evaluate(Tensor?[] inputs)
        {
            Tensor x = inputs[0]!;
            Tensor w = inputs[1]!;
            Tensor? b = inputs.Length > 2 ? inputs[2] : null;
            int n = geometry.Rank;
            long[] spatial = SpatialOps.SpatialShape(x, n, "ConvTranspose");
            (long[] begin, long[] end) = Padding(spatial);
            using Tensor full = SpatialOps.ConvTranspose(x, w, geometry.Strides, geometry.Dilations, group);
            var endPad = new long[n];
            for (int i = 0; i < n; i++)
            {
                endPad[i] = outputPadding[i] - end[i];
            }

            // Negative pads crop: this trims the begin pads and applies output_padding minus the end pads at once.
            using Tensor cropped = SpatialOps.Pad(full, begin.Select(p => -p).ToArray(), endPad, 0);
            return [b is null ? cropped.alias() : SpatialOps.AddChannelBias(cropped, b)];
        }

        private (long[] Begin, long[] End) Padding(long[] input)
        {
            int n = geometry.Rank;
            if (outputShape is null && geometry.AutoPad is AutoPad.NotSet or AutoPad.Valid)
            {
                return geometry.AutoPad == AutoPad.Valid ? (new long[n], new long[n]) : (geometry.Pads[..n], geometry.Pads[n..]);
            }

            var begin = new long[n];
            var end = new long[n];
            for (int i = 0; i < n; i++)
            {
                long target = outputShape?[i] ?? input[i] * geometry.Strides[i];
                long total = (geometry.Strides[i] * (input[i] - 1)) + outputPadding[i] + geometry.EffectiveKernel(i) - target;
                if (total < 0)
                {
                    throw new InvalidOperationException($"output_shape {target} on axis {i} is larger than the full transposed convolution");
                }

                // ONNX's rule: SAME_UPPER puts the odd pixel of padding at the end, otherwise at the start.
                begin[i] = geometry.AutoPad == AutoPad.SameUpper ? total / 2 : total - (total / 2);
                end[i] = total - begin[i];
            }

            return (begin, end);
        }
    }
}
