using static TorchSharp.torch;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>Gemm and MatMul.</summary>
internal static class MatrixOperators
{
    /// <summary>Adds this family's factories.</summary>
    public static void Register(IDictionary<string, OnnxOperatorFactory> registry)
    {
        registry["MatMul"] = ctx =>
        {
            ctx.RequireInputs(2, 2);
            ctx.LimitOutputs(1);
            return ctx.Finish(inputs =>
            {
                CheckMatMul(inputs[0]!, inputs[1]!);
                return inputs[0]!.matmul(inputs[1]!);
            });
        };
        registry["Gemm"] = Gemm;
    }

    /// <summary>Checks numpy's matmul shape rules and the element types, which torch's matmul would also check but fatally.</summary>
    /// <remarks>
    /// TorchSharp 0.107's native matmul wrapper (the only tensor function without its error handler) lets libtorch's
    /// errors escape as a C++ exception, which aborts the process instead of raising a .NET exception, so a model with
    /// mismatched shapes must be caught here. So must mixed or boolean element types: the fuzz test aborted the test
    /// host with a MatMul of a float input by an initializer whose data type a flipped bit had made BOOL; bool by bool,
    /// and float32 by each other float and integer type, abort the same way.
    /// </remarks>
    private static void CheckMatMul(Tensor a, Tensor b)
    {
        if (a.dtype != b.dtype || a.dtype == ScalarType.Bool)
        {
            throw new InvalidOperationException($"cannot multiply {a.dtype} by {b.dtype} values (both must have the same numeric type)");
        }

        long[] x = a.shape;
        long[] y = b.shape;
        bool ok = x.Length > 0 && y.Length > 0
            && x[^1] == (y.Length == 1 ? y[0] : y[^2])
            && Broadcastable(x.Length > 2 ? x[..^2] : [], y.Length > 2 ? y[..^2] : []);
        if (!ok)
        {
            throw new InvalidOperationException($"cannot multiply {TensorValues.Shape(a)} by {TensorValues.Shape(b)}");
        }
    }

    private static bool Broadcastable(long[] x, long[] y)
    {
        for (int i = 1; i <= Math.Min(x.Length, y.Length); i++)
        {
            if (x[^i] != y[^i] && x[^i] != 1 && y[^i] != 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Y = alpha * A' B' + beta * C, with A' and B' optionally transposed and C broadcast (and optional from opset 11).</summary>
    private static OnnxOperator Gemm(OnnxNodeContext ctx)
    {
        ctx.RequireInputs(ctx.Opset < 11 ? 3 : 2, 3);
        ctx.LimitOutputs(1);
        double alpha = ctx.Float("alpha", 1f);
        double beta = ctx.Float("beta", 1f);
        bool transA = ctx.Int("transA", 0) != 0;
        bool transB = ctx.Int("transB", 0) != 0;
        // Opset 1-6's broadcast flag only allowed what numpy broadcasting of C does anyway.
        ctx.Ignore("broadcast");
        return ctx.Finish(inputs =>
        {
            using var scope = NewDisposeScope();
            Tensor a = inputs[0]!;
            Tensor b = inputs[1]!;
            if (a.dim() != 2 || b.dim() != 2)
            {
                throw new InvalidOperationException($"Gemm expects matrices but got {TensorValues.Shape(a)} and {TensorValues.Shape(b)}");
            }

            Tensor left = transA ? a.t() : a;
            Tensor right = transB ? b.t() : b;
            CheckMatMul(left, right);
            Tensor y = left.mm(right);
            if (alpha != 1)
            {
                y = y.mul(alpha);
            }

            if (inputs.Length > 2 && inputs[2] is { } c)
            {
                y = y.add(beta == 1 ? c : c.mul(beta));
            }

            return y.MoveToOuterDisposeScope();
        });
    }
}
