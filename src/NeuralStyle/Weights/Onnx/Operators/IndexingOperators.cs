using static TorchSharp.torch;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>Shape, Gather and Cast: what exporters emit to compute shapes (e.g. torch's view(x.size(0), -1)).</summary>
/// <remarks>Shapes are evaluated on the actual tensors and travel as small int64 tensors.</remarks>
internal static class IndexingOperators
{
    /// <summary>Adds this family's factories.</summary>
    public static void Register(IDictionary<string, OnnxOperatorFactory> registry)
    {
        registry["Shape"] = Shape;
        registry["Gather"] = Gather;
        registry["Cast"] = Cast;
    }

    private static OnnxOperator Shape(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(1, 1);
        ctx.LimitOutputs(1);
        long start = ctx.Int("start", 0);
        long? end = ctx.OptionalInt("end");
        return ctx.Finish(inputs =>
        {
            long[] shape = inputs[0]!.shape;
            int rank = shape.Length;
            // Opset 15's start/end slice the shape, clamped to the rank like Python slicing.
            int from = (int)Math.Clamp(start < 0 ? start + rank : start, 0, rank);
            int to = (int)Math.Clamp(end is null ? rank : end.Value < 0 ? end.Value + rank : end.Value, 0, rank);
            return tensor(shape[from..Math.Max(from, to)], ScalarType.Int64);
        });
    }

    private static OnnxOperator Gather(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(2, 2);
        ctx.LimitOutputs(1);
        long axis = ctx.Int("axis", 0);
        return ctx.Finish(inputs =>
        {
            Tensor data = inputs[0]!;
            Tensor indices = inputs[1]!;
            long a = TensorValues.Axis(axis, data.dim());
            using var scope = NewDisposeScope();
            Tensor flat = indices.to_type(ScalarType.Int64).flatten();
            // Negative indices count from the end of the axis.
            Tensor wrapped = where(flat.lt(0), flat.add(data.shape[a]), flat);
            Tensor picked = data.index_select(a, wrapped);
            long[] shape = [.. data.shape[..(int)a], .. indices.shape, .. data.shape[((int)a + 1)..]];
            return picked.reshape(shape).MoveToOuterDisposeScope();
        });
    }

    private static OnnxOperator Cast(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(1, 1);
        ctx.LimitOutputs(1);
        long to = ctx.OptionalInt("to") ?? throw ctx.Invalid("attribute 'to' is required");
        ScalarType type = ScalarTypes.FromOnnx((OnnxDataType)to)
            ?? throw ctx.Unsupported($"casting to {(OnnxDataType)to} is not supported");
        return ctx.Finish(inputs => inputs[0]!.to_type(type, copy: true));
    }
}
