using static TorchSharp.torch;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>Concat and Split.</summary>
internal static class JoinOperators
{
    /// <summary>Adds this family's factories.</summary>
    public static void Register(IDictionary<string, OnnxOperatorFactory> registry)
    {
        registry["Concat"] = Concat;
        registry["Split"] = Split;
    }

    private static OnnxOperator Concat(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(1, int.MaxValue);
        ctx.LimitOutputs(1);
        // axis became required in opset 4; before, it defaulted to 1.
        long axis = ctx.Opset < 4 ? ctx.Int("axis", 1) : ctx.OptionalInt("axis") ?? throw ctx.Invalid("attribute 'axis' is required");
        return ctx.Finish(inputs =>
        {
            Tensor[] parts = inputs.Where(t => t is not null).Select(t => t!).ToArray();
            return cat(parts, TensorValues.Axis(axis, parts[0].dim()));
        });
    }

    private static OnnxOperator Split(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(1, 2);
        long axis = ctx.Int("axis", 0);
        long[]? sizesAttribute = ctx.Ints("split");
        long? numOutputs = ctx.OptionalInt("num_outputs");
        int outputs = ctx.Node.Outputs.Count;
        if (outputs == 0 || (numOutputs is not null && numOutputs != outputs))
        {
            throw ctx.Invalid($"{outputs} outputs" + (numOutputs is null ? string.Empty : $" but num_outputs is {numOutputs}"));
        }

        if (sizesAttribute is not null && sizesAttribute.Length != outputs)
        {
            throw ctx.Invalid($"'split' has {sizesAttribute.Length} sizes for {outputs} outputs");
        }

        bool unevenLast = numOutputs is not null;
        return ctx.Finish(new SplitOperator(axis, sizesAttribute, outputs, unevenLast));
    }

    /// <summary>Splits along one axis: given sizes (attribute or input), or equal parts.</summary>
    private sealed class SplitOperator(long axis, long[]? sizesAttribute, int outputs, bool unevenLast) : OnnxOperator
    {
        public override Tensor?[] Evaluate(Tensor?[] inputs)
        {
            Tensor x = inputs[0]!;
            long a = TensorValues.Axis(axis, x.dim());
            long length = x.shape[a];
            long[] sizes = sizesAttribute ?? (inputs.Length > 1 && inputs[1] is { } s ? TensorValues.ToLongs(s) : EqualParts(length));
            if (sizes.Length != outputs || sizes.Any(v => v < 0 || v > length) || sizes.Sum() != length)
            {
                throw new InvalidOperationException($"split sizes [{string.Join(",", sizes)}] do not divide axis {a} of {TensorValues.Shape(x)} into {outputs} parts");
            }

            // torch.split returns views; contiguous copies are not needed, the consumers accept strided tensors.
            return x.split(sizes, a);
        }

        private long[] EqualParts(long length)
        {
            // Opset 18's num_outputs allows a shorter last part; the older equal split must divide exactly.
            long part = unevenLast ? (length + outputs - 1) / outputs : length / outputs;
            var sizes = Enumerable.Repeat(part, outputs).ToArray();
            sizes[^1] = length - (part * (outputs - 1));
            return sizes;
        }
    }
}
