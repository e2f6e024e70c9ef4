using static TorchSharp.torch;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>Constant, Identity and Dropout (which is the identity at inference).</summary>
internal static class ConstantOperators
{
    /// <summary>Adds this family's factories.</summary>
    public static void Register(IDictionary<string, OnnxOperatorFactory> registry)
    {
        registry["Constant"] = Constant;
        registry["Identity"] = ctx =>
        {
            ctx.RequireInputs(1, 1);
            ctx.LimitOutputs(1);
            return ctx.Finish(inputs => inputs[0]!.alias());
        };
        registry["Dropout"] = Dropout;
    }

    private static OnnxOperator Constant(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(0, 0);
        ctx.LimitOutputs(1);
        foreach (string name in new[] { "sparse_value", "value_string", "value_strings" })
        {
            if (ctx.HasAttribute(name))
            {
                throw ctx.Unsupported($"attribute '{name}' is not supported");
            }
        }

        var values = new List<Func<Tensor>>();
        if (ctx.TensorAttribute("value") is { } t)
        {
            if (ScalarTypes.FromOnnx(t.DataType) is null)
            {
                throw ctx.Unsupported($"a value of type {t.DataType} is not supported");
            }

            values.Add(t.ToTensor);
        }

        if (ctx.OptionalFloat("value_float") is float f)
        {
            values.Add(() => tensor(f));
        }

        if (ctx.Floats("value_floats") is float[] fs)
        {
            values.Add(() => tensor(fs));
        }

        if (ctx.OptionalInt("value_int") is long i)
        {
            values.Add(() => tensor(i));
        }

        if (ctx.Ints("value_ints") is long[] ints)
        {
            values.Add(() => tensor(ints));
        }

        if (values.Count != 1)
        {
            throw ctx.Invalid($"a Constant needs exactly one value attribute, this one has {values.Count}");
        }

        return ctx.Finish(new ConstantOperator(values[0]().DetachFromDisposeScope()));
    }

    private static OnnxOperator Dropout(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(1, 3);
        // ratio, seed and is_test only matter when training; this importer evaluates models for inference.
        ctx.Ignore("ratio", "seed", "is_test", "consumed_inputs");
        if (ctx.ConstantInput(2) is { } training && training.Values is bool[] flags && flags.Any(b => b))
        {
            throw ctx.Unsupported("training_mode=true (random dropout) is not supported");
        }

        bool mask = ctx.Node.Outputs.Count > 1 && ctx.Node.Outputs[1].Length > 0;
        return ctx.Finish(new DropoutOperator(mask));
    }

    private sealed class ConstantOperator(Tensor value) : OnnxOperator
    {
        public override Tensor?[] Evaluate(Tensor?[] inputs) => [value.alias()];

        public override void Dispose() => value.Dispose();
    }

    /// <summary>Passes the input through; the optional mask output is all true (nothing dropped).</summary>
    private sealed class DropoutOperator(bool mask) : OnnxOperator
    {
        public override Tensor?[] Evaluate(Tensor?[] inputs)
        {
            Tensor x = inputs[0]!;
            return mask ? [x.alias(), ones_like(x, ScalarType.Bool)] : [x.alias()];
        }
    }
}
