using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>Pad in constant, reflect and edge modes, with pads as attribute (opset 1-10) or input (11+).</summary>
/// <remarks>
/// torch's reflect and replicate padding only handle the last one to three axes of 2-d to 5-d tensors, so those
/// modes are built from index_select along each padded axis instead, which works for any rank and any axis.
/// Negative pads crop, as ONNX allows.
/// </remarks>
internal static class PadOperator
{
    private enum Mode
    {
        Constant,
        Reflect,
        Edge,
    }

    /// <summary>Adds the factory.</summary>
    public static void Register(IDictionary<string, OnnxOperatorFactory> registry) => registry["Pad"] = Pad;

    private static OnnxOperator Pad(OnnxNodeContext ctx)
    {
        ctx.LimitOutputs(1);
        string modeName = ctx.String("mode", "constant");
        Mode mode = modeName switch
        {
            "constant" => Mode.Constant,
            "reflect" => Mode.Reflect,
            "edge" => Mode.Edge,
            _ => throw ctx.Unsupported($"mode '{modeName}' is not supported"),
        };

        if (ctx.Opset < 11)
        {
            ctx.RequireInputs(1, 1);
            // Opset 1 called the attribute "paddings".
            long[] pads = ctx.Ints("pads") ?? ctx.Ints("paddings") ?? throw ctx.Invalid("attribute 'pads' is required");
            CheckPads(ctx, pads);
            double value = ctx.Float("value", 0f);
            return ctx.Finish(inputs => Apply(inputs[0]!, pads, mode, value));
        }

        ctx.RequireInputs(2, 3);
        if (ctx.InputCount > 3)
        {
            throw ctx.Unsupported("the axes input (opset 18) is not supported");
        }

        if (ctx.ConstantInput(1) is { Values: long[] constantPads })
        {
            CheckPads(ctx, constantPads);
        }

        return ctx.Finish(inputs =>
        {
            long[] pads = TensorValues.ToLongs(inputs[1]!);
            if (pads.Any(OutOfRange))
            {
                throw new InvalidOperationException($"pads [{string.Join(",", pads)}] are out of range");
            }

            double value = inputs.Length > 2 && inputs[2] is { } v ? TensorValues.ToDouble(v) : 0;
            return Apply(inputs[0]!, pads, mode, value);
        });
    }

    private static void CheckPads(OnnxNodeContext ctx, long[] pads)
    {
        if (pads.Length % 2 != 0 || pads.Any(OutOfRange))
        {
            throw ctx.Invalid($"pads [{string.Join(",", pads)}] are not begin/end pairs within ±{SpatialGeometry.MaxWindowValue}");
        }
    }

    private static bool OutOfRange(long pad) => pad < -SpatialGeometry.MaxWindowValue || pad > SpatialGeometry.MaxWindowValue;

    private static Tensor Apply(Tensor x, long[] pads, Mode mode, double value)
    {
        int rank = (int)x.dim();
        if (pads.Length != 2 * rank)
        {
            throw new InvalidOperationException($"{pads.Length} pads for a tensor of rank {rank} ({TensorValues.Shape(x)})");
        }

        long[] begin = pads[..rank];
        long[] end = pads[rank..];
        TensorBudget.CheckPadding(
            TensorBudget.Elements(x.shape),
            TensorBudget.Elements(x.shape.Select((d, i) => Math.Max(0, d + begin[i] + end[i]))));
        if (mode == Mode.Constant)
        {
            // Constant padding (and cropping) of every axis is one torch call: its pads list starts at the last axis.
            var torchPads = new long[2 * rank];
            for (int i = 0; i < rank; i++)
            {
                torchPads[2 * i] = begin[rank - 1 - i];
                torchPads[(2 * i) + 1] = end[rank - 1 - i];
            }

            return nn.functional.pad(x, torchPads, PaddingModes.Constant, value);
        }

        using var scope = NewDisposeScope();
        Tensor y = x;
        for (int axis = 0; axis < rank; axis++)
        {
            if (begin[axis] != 0 || end[axis] != 0)
            {
                using Tensor index = tensor(SourceIndices(y.shape[axis], begin[axis], end[axis], mode, axis), ScalarType.Int64);
                y = y.index_select(axis, index);
            }
        }

        return (ReferenceEquals(y, x) ? x.alias() : y).MoveToOuterDisposeScope();
    }

    /// <summary>For each output position along the axis, the input position it copies.</summary>
    private static long[] SourceIndices(long length, long begin, long end, Mode mode, int axis)
    {
        long outLength = length + begin + end;
        if (length == 0 || outLength < 0 || (mode == Mode.Reflect && (begin >= length || end >= length)))
        {
            throw new InvalidOperationException($"cannot {mode.ToString().ToLowerInvariant()}-pad axis {axis} of size {length} by ({begin}, {end})");
        }

        var indices = new long[outLength];
        for (long o = 0; o < outLength; o++)
        {
            long i = o - begin;
            indices[o] = mode == Mode.Edge
                ? Math.Clamp(i, 0, length - 1)
                : i < 0 ? -i : i >= length ? (2 * (length - 1)) - i : i;
        }

        return indices;
    }
}
