using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>Element-wise activations (Relu, LeakyRelu, PRelu, Sigmoid, Tanh, Clip) and Softmax.</summary>
internal static class ActivationOperators
{
    /// <summary>Adds this family's factories.</summary>
    public static void Register(IDictionary<string, OnnxOperatorFactory> registry)
    {
        registry["Relu"] = ctx => Unary(ctx, x => x.relu());
        registry["Sigmoid"] = ctx => Unary(ctx, x => x.sigmoid());
        registry["Tanh"] = ctx => Unary(ctx, x => x.tanh());
        registry["LeakyRelu"] = ctx =>
        {
            double alpha = ctx.Float("alpha", 0.01f);
            return Unary(ctx, x => F.leaky_relu(x, alpha));
        };
        registry["PRelu"] = PRelu;
        registry["Clip"] = Clip;
        registry["Softmax"] = Softmax;
    }

    /// <summary>A one-input, one-output operator; opset 1-5 nodes may carry the obsolete consumed_inputs.</summary>
    private static OnnxOperator Unary(OnnxNodeContext ctx, Func<Tensor, Tensor> f)
    {
        ctx.RequireInputs(1, 1);
        ctx.LimitOutputs(1);
        ctx.Ignore("consumed_inputs");
        return ctx.Finish(inputs => f(inputs[0]!));
    }

    private static OnnxOperator PRelu(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(2, 2);
        ctx.LimitOutputs(1);
        ctx.Ignore("consumed_inputs");
        // Before opset 7 a 1-d slope holds one value per channel; from 7 on it broadcasts like numpy.
        bool perChannel = ctx.Opset < 7;
        return ctx.Finish(inputs =>
        {
            Tensor x = inputs[0]!;
            Tensor slope = inputs[1]!;
            using Tensor s = perChannel && slope.dim() == 1 && x.dim() > 2 && slope.shape[0] == x.shape[1]
                ? slope.reshape([slope.shape[0], .. Enumerable.Repeat(1L, (int)x.dim() - 2)])
                : slope.alias();
            using Tensor negative = x.mul(s);
            using Tensor positive = x.ge(0);
            return where(positive, x, negative);
        });
    }

    private static OnnxOperator Clip(OnnxNodeContext ctx)
    {
        ctx.LimitOutputs(1);
        if (ctx.Opset < 11)
        {
            ctx.RequireInputs(1, 1);
            ctx.Ignore("consumed_inputs");
            float? min = ctx.OptionalFloat("min");
            float? max = ctx.OptionalFloat("max");
            return ctx.Finish(inputs => Clamp(inputs[0]!, min, max));
        }

        // From opset 11 the bounds are optional scalar inputs.
        ctx.RequireInputs(1, 3);
        return ctx.Finish(inputs =>
        {
            double? min = inputs.Length > 1 && inputs[1] is { } lo ? TensorValues.ToDouble(lo) : null;
            double? max = inputs.Length > 2 && inputs[2] is { } hi ? TensorValues.ToDouble(hi) : null;
            return Clamp(inputs[0]!, min, max);
        });
    }

    private static Tensor Clamp(Tensor x, double? min, double? max) => (min, max) switch
    {
        (null, null) => x.alias(),
        (null, double hi) => x.clamp_max(hi),
        (double lo, null) => x.clamp_min(lo),
        (double lo, double hi) => x.clamp(lo, hi),
    };

    private static OnnxOperator Softmax(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(1, 1);
        ctx.LimitOutputs(1);
        bool perAxis = ctx.Opset >= 13;
        long axis = ctx.Int("axis", perAxis ? -1 : 1);
        return ctx.Finish(inputs =>
        {
            Tensor x = inputs[0]!;
            long a = TensorValues.Axis(axis, Math.Max(x.dim(), 1));
            if (perAxis)
            {
                return x.softmax(a);
            }

            // Opset 1-12: the input is seen as a 2-d matrix [prod(dims before axis), prod(dims from axis)].
            long rows = x.shape[..(int)a].Aggregate(1L, (p, d) => p * d);
            using Tensor matrix = x.reshape(rows, -1);
            using Tensor s = matrix.softmax(1);
            return s.reshape(x.shape);
        });
    }
}
