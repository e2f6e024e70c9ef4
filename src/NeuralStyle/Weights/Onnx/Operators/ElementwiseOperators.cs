using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>Add, Sub, Mul and Div with numpy broadcasting (and opset 1-6's broadcast/axis attributes).</summary>
internal static class ElementwiseOperators
{
    /// <summary>Adds this family's factories.</summary>
    public static void Register(IDictionary<string, OnnxOperatorFactory> registry)
    {
        registry["Add"] = ctx => Binary(ctx, (a, b) => a.add(b));
        registry["Sub"] = ctx => Binary(ctx, (a, b) => a.sub(b));
        registry["Mul"] = ctx => Binary(ctx, (a, b) => a.mul(b));
        // Integer division truncates in ONNX, as in C; torch's default is true division.
        registry["Div"] = ctx => Binary(ctx, (a, b) => a.is_integral() && b.is_integral() ? a.div(b, RoundingMode.trunc) : a.div(b));
    }

    private static OnnxOperator Binary(OnnxNodeContext ctx, Func<Tensor, Tensor, Tensor> op)
    {
        ctx.RequireInputs(2, 2);
        ctx.LimitOutputs(1);
        ctx.Ignore("consumed_inputs");
        // Opset 1-6: without broadcast=1 the shapes must match; with it, B lines up with A from `axis` on
        // (from the end when axis is absent, which is numpy's rule).
        bool legacy = ctx.Opset < 7;
        long broadcast = legacy ? ctx.Int("broadcast", 0) : 0;
        long? axis = legacy ? ctx.OptionalInt("axis") : null;
        return ctx.Finish(inputs =>
        {
            Tensor a = inputs[0]!;
            Tensor b = inputs[1]!;
            if (broadcast == 0 || axis is null || b.dim() == 0)
            {
                return op(a, b);
            }

            long start = TensorValues.Axis(axis.Value, a.dim());
            long trailing = a.dim() - start - b.dim();
            if (trailing < 0)
            {
                throw new InvalidOperationException($"B {TensorValues.Shape(b)} does not fit into A {TensorValues.Shape(a)} from axis {axis}");
            }

            using Tensor aligned = b.reshape([.. b.shape, .. Enumerable.Repeat(1L, (int)trailing)]);
            return op(a, aligned);
        });
    }
}
