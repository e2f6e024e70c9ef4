using static TorchSharp.torch;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>Operators that only rearrange elements: Reshape, Flatten, Transpose, Squeeze, Unsqueeze.</summary>
internal static class ShapeOperators
{
    /// <summary>Adds this family's factories.</summary>
    public static void Register(IDictionary<string, OnnxOperatorFactory> registry)
    {
        registry["Reshape"] = Reshape;
        registry["Flatten"] = Flatten;
        registry["Transpose"] = Transpose;
        registry["Squeeze"] = Squeeze;
        registry["Unsqueeze"] = Unsqueeze;
    }

    private static OnnxOperator Reshape(OnnxNodeContext ctx)
    {
        ctx.LimitOutputs(1);
        bool allowZero = ctx.Int("allowzero", 0) != 0;
        ctx.Ignore("consumed_inputs");
        // Opset 1-4 carry the shape as an attribute, later opsets as a second (usually constant) input.
        long[]? attribute = ctx.Opset < 5 ? ctx.Ints("shape") : null;
        ctx.RequireInputs(attribute is null ? 2 : 1, 2);
        return ctx.Finish(inputs =>
        {
            Tensor x = inputs[0]!;
            long[] target = attribute ?? TensorValues.ToLongs(inputs[1]!);
            for (int i = 0; i < target.Length; i++)
            {
                // 0 copies the input's dimension, unless allowzero makes it a literal 0.
                if (target[i] == 0 && !allowZero)
                {
                    target[i] = i < x.dim() ? x.shape[i] : throw new InvalidOperationException($"shape [{string.Join(",", target)}] copies dimension {i} of {TensorValues.Shape(x)}");
                }
            }

            return x.reshape(target);
        });
    }

    private static OnnxOperator Flatten(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(1, 1);
        ctx.LimitOutputs(1);
        long axis = ctx.Int("axis", 1);
        return ctx.Finish(inputs =>
        {
            Tensor x = inputs[0]!;
            long a = axis < 0 ? axis + x.dim() : axis;
            if (a < 0 || a > x.dim())
            {
                throw new InvalidOperationException($"axis {axis} is out of range for {TensorValues.Shape(x)}");
            }

            long rows = x.shape[..(int)a].Aggregate(1L, (p, d) => p * d);
            long columns = x.shape[(int)a..].Aggregate(1L, (p, d) => p * d);
            return x.reshape(rows, columns);
        });
    }

    private static OnnxOperator Transpose(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(1, 1);
        ctx.LimitOutputs(1);
        long[]? perm = ctx.Ints("perm");
        return ctx.Finish(inputs =>
        {
            Tensor x = inputs[0]!;
            long[] p = perm ?? Enumerable.Range(0, (int)x.dim()).Reverse().Select(i => (long)i).ToArray();
            if (p.Length != x.dim() || p.Order().Select((v, i) => v != i).Any(b => b))
            {
                throw new InvalidOperationException($"perm [{string.Join(",", p)}] is not a permutation of the axes of {TensorValues.Shape(x)}");
            }

            return x.permute(p);
        });
    }

    /// <summary>The axes of Squeeze/Unsqueeze: an attribute before opset 13, an input from 13 on.</summary>
    private static Func<Tensor?[], long[]?> Axes(OnnxNodeContext ctx, bool required)
    {
        if (ctx.Opset < 13)
        {
            ctx.RequireInputs(1, 1);
            long[]? axes = ctx.Ints("axes");
            if (required && axes is null)
            {
                throw ctx.Invalid("attribute 'axes' is required");
            }

            return _ => axes;
        }

        ctx.RequireInputs(required ? 2 : 1, 2);
        return inputs => inputs.Length > 1 && inputs[1] is { } t ? TensorValues.ToLongs(t) : null;
    }

    private static OnnxOperator Squeeze(OnnxNodeContext ctx)
    {
        ctx.LimitOutputs(1);
        Func<Tensor?[], long[]?> axes = Axes(ctx, required: false);
        return ctx.Finish(inputs =>
        {
            Tensor x = inputs[0]!;
            long[] shape = x.shape;
            HashSet<long> drop = axes(inputs) is { } given
                ? given.Select(a => TensorValues.Axis(a, shape.Length)).ToHashSet()
                : Enumerable.Range(0, shape.Length).Where(i => shape[i] == 1).Select(i => (long)i).ToHashSet();
            long[] bad = drop.Where(a => shape[a] != 1).ToArray();
            if (bad.Length > 0)
            {
                throw new InvalidOperationException($"cannot squeeze axis {bad[0]} of {TensorValues.Shape(x)}: its size is not 1");
            }

            return x.reshape(shape.Where((_, i) => !drop.Contains(i)).ToArray());
        });
    }

    private static OnnxOperator Unsqueeze(OnnxNodeContext ctx)
    {
        ctx.LimitOutputs(1);
        Func<Tensor?[], long[]?> axes = Axes(ctx, required: true);
        return ctx.Finish(inputs =>
        {
            Tensor x = inputs[0]!;
            long[] given = axes(inputs)!;
            int rank = (int)x.dim() + given.Length;
            HashSet<long> insert = given.Select(a => TensorValues.Axis(a, rank)).ToHashSet();
            if (insert.Count != given.Length)
            {
                throw new InvalidOperationException($"axes [{string.Join(",", given)}] repeat an axis");
            }

            var shape = new long[rank];
            int source = 0;
            for (int i = 0; i < rank; i++)
            {
                shape[i] = insert.Contains(i) ? 1 : x.shape[source++];
            }

            return x.reshape(shape);
        });
    }
}
