using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>BatchNormalization (inference form) and LRN.</summary>
internal static class NormalizationOperators
{
    /// <summary>LRN windows up to this many channels are summed shift by shift (trained models use 5 or so).</summary>
    private const long MaxLrnShifts = 64;

    /// <summary>Adds this family's factories.</summary>
    public static void Register(IDictionary<string, OnnxOperatorFactory> registry)
    {
        registry["BatchNormalization"] = BatchNormalization;
        registry["LRN"] = Lrn;
    }

    private static OnnxOperator BatchNormalization(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(5, 5);
        ctx.LimitOutputs(1, " (running statistics are only produced in training)");
        double epsilon = ctx.Float("epsilon", 1e-5f);
        // momentum only updates running statistics, is_test and consumed_inputs are pre-opset-7 bookkeeping.
        ctx.Ignore("momentum", "is_test", "consumed_inputs");
        if (ctx.Int("spatial", 1) != 1)
        {
            throw ctx.Unsupported("spatial=0 (per-activation statistics) is not supported");
        }

        if (ctx.Int("training_mode", 0) != 0)
        {
            throw ctx.Unsupported("training_mode=1 is not supported");
        }

        return ctx.Finish(inputs => F.batch_norm(inputs[0]!, inputs[3]!, inputs[4]!, inputs[1]!, inputs[2]!, training: false, eps: epsilon));
    }

    /// <summary>
    /// ONNX's LRN: y = x / (bias + alpha / size * sum of x^2 over channels c - floor((size-1)/2) .. c + ceil((size-1)/2))^beta.
    /// </summary>
    private static OnnxOperator Lrn(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(1, 1);
        ctx.LimitOutputs(1);
        long size = ctx.OptionalInt("size") ?? throw ctx.Invalid("attribute 'size' is required");
        if (size < 1 || size > SpatialGeometry.MaxWindowValue)
        {
            throw ctx.Invalid($"size {size} is out of range");
        }

        double alpha = ctx.Float("alpha", 1e-4f);
        double beta = ctx.Float("beta", 0.75f);
        double bias = ctx.Float("bias", 1f);
        long before = (size - 1) / 2;
        long after = size - 1 - before;
        return ctx.Finish(inputs =>
        {
            Tensor x = inputs[0]!;
            if (x.dim() < 3)
            {
                throw new InvalidOperationException($"expects N x C x spatial axes but got {TensorValues.Shape(x)}");
            }

            using var scope = NewDisposeScope();
            long channels = x.shape[1];
            // Pad the channel axis with zeros, then add the shifted copies: the window sum for every channel. Padding
            // beyond C - 1 on a side, and the shifts that read only that padding, add nothing but zeros: they are
            // left out, which changes no bit of the sum and bounds the work by the channels (a damaged size of
            // 65536 made this loop take 2.7 s on a 6-channel input, found by the fuzz test).
            long padBefore = Math.Min(before, Math.Max(0, channels - 1)), padAfter = Math.Min(after, Math.Max(0, channels - 1));
            long shifts = padBefore + padAfter + 1;
            TensorBudget.CheckPadding(TensorBudget.Elements(x.shape), TensorBudget.Elements(x.shape) / channels * (channels + shifts - 1));
            var pads = new long[2 * (x.dim() - 1)];
            pads[^2] = padBefore;
            pads[^1] = padAfter;
            Tensor sum;
            if (shifts <= MaxLrnShifts)
            {
                Tensor squares = F.pad(x.square(), pads);
                sum = squares.narrow(1, 0, channels);
                for (long j = 1; j < shifts; j++)
                {
                    sum = sum.add(squares.narrow(1, j, channels));
                }
            }
            else
            {
                // Windows this wide (many channels and a huge size) only come from damaged files: a running sum in
                // double precision keeps the work linear.
                var leading = new long[pads.Length];
                leading[^2] = 1;
                // running[k] is the sum of the first k padded channels, so channel c's window is running[c + shifts] - running[c].
                Tensor running = F.pad(F.pad(x.to_type(ScalarType.Float64).square(), pads).cumsum(1), leading);
                sum = running.narrow(1, shifts, channels).sub(running.narrow(1, 0, channels)).to_type(x.dtype);
            }

            Tensor denominator = sum.mul(alpha / size).add(bias).pow(beta);
            return x.div(denominator).MoveToOuterDisposeScope();
        });
    }
}
