using static TorchSharp.torch;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>Reading small tensors (shapes, axes, scalars) back into .NET values, and axis arithmetic.</summary>
internal static class TensorValues
{
    /// <summary>The elements of an integer tensor such as a Reshape shape or Squeeze axes.</summary>
    public static long[] ToLongs(Tensor t)
    {
        using Tensor l = t.to_type(ScalarType.Int64).contiguous();
        return l.data<long>().ToArray();
    }

    /// <summary>The single element of a scalar or one-element tensor.</summary>
    public static double ToDouble(Tensor t)
    {
        if (t.numel() != 1)
        {
            throw new InvalidOperationException($"expected a single value but got a tensor of shape [{string.Join(",", t.shape)}]");
        }

        using Tensor d = t.to_type(ScalarType.Float64);
        return d.item<double>();
    }

    /// <summary>Turns a possibly negative axis into 0..rank-1, failing with a clear message when out of range.</summary>
    public static long Axis(long axis, long rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
        {
            throw new InvalidOperationException($"axis {axis} is out of range for a tensor of rank {rank}");
        }

        return a;
    }

    /// <summary>Shape text for messages.</summary>
    public static string Shape(Tensor t) => "[" + string.Join(",", t.shape) + "]";
}
