using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NeuralStyle.Weights.Onnx.Operators;

/// <summary>The N-d (1 to 3 spatial axes) torch calls and padding helpers that the window operators share.</summary>
internal static class SpatialOps
{
    /// <summary>The spatial sizes of an N x C x D1 x ... tensor, checking its rank against the operator's.</summary>
    public static long[] SpatialShape(Tensor x, int rank, string what)
    {
        if (x.dim() != rank + 2)
        {
            throw new InvalidOperationException($"{what} expects a tensor of rank {rank + 2} (N x C x {rank} spatial) but got {TensorValues.Shape(x)}");
        }

        return x.shape[2..];
    }

    /// <summary>Pads the trailing spatial axes by <paramref name="begin"/> / <paramref name="end"/> (which may be negative, cropping).</summary>
    public static Tensor Pad(Tensor x, long[] begin, long[] end, double value)
    {
        long[] shape = x.shape;
        int first = shape.Length - begin.Length;
        TensorBudget.CheckPadding(
            TensorBudget.Elements(shape),
            TensorBudget.Elements(shape.Select((d, i) => i < first ? d : Math.Max(0, d + begin[i - first] + end[i - first]))));
        // torch lists pads from the last axis backwards, begin then end for each.
        var pads = new long[2 * begin.Length];
        for (int i = 0; i < begin.Length; i++)
        {
            int axis = begin.Length - 1 - i;
            pads[2 * i] = begin[axis];
            pads[(2 * i) + 1] = end[axis];
        }

        return F.pad(x, pads, PaddingModes.Constant, value);
    }

    /// <summary>Whether any of the values is non-zero.</summary>
    public static bool Any(long[] values) => values.Any(v => v != 0);

    /// <summary>A convolution with symmetric (or no) padding.</summary>
    public static Tensor Conv(Tensor x, Tensor w, Tensor? b, long[] strides, long[] padding, long[] dilations, long groups) => strides.Length switch
    {
        1 => F.conv1d(x, w, b, strides[0], padding[0], dilations[0], groups),
        2 => F.conv2d(x, w, b, strides, padding, dilations, groups),
        _ => F.conv3d(x, w, b, strides, padding, dilations, groups),
    };

    /// <summary>A transposed convolution without padding, giving the full stride * (in - 1) + dilated kernel output.</summary>
    public static Tensor ConvTranspose(Tensor x, Tensor w, long[] strides, long[] dilations, long groups)
    {
        double full = x.shape[0] * (double)w.shape[1] * groups;
        for (int i = 0; i < strides.Length; i++)
        {
            full *= (strides[i] * (double)(x.shape[i + 2] - 1)) + ((w.shape[i + 2] - 1) * (double)dilations[i]) + 1;
        }

        TensorBudget.CheckOutput(full, "the transposed convolution");
        var zeros = new long[strides.Length];
        return strides.Length switch
        {
            1 => F.conv_transpose1d(x, w, null, strides[0], 0, 0, dilations[0], groups),
            2 => F.conv_transpose2d(x, w, null, strides, zeros, zeros, dilations, groups),
            _ => F.conv_transpose3d(x, w, null, strides, zeros, zeros, dilations, groups),
        };
    }

    /// <summary>Max pooling without padding (the caller pads with -inf).</summary>
    public static Tensor MaxPool(Tensor x, long[] kernel, long[] strides, long[] dilations)
    {
        var zeros = new long[kernel.Length];
        return kernel.Length switch
        {
            1 => F.max_pool1d(x, kernel[0], strides[0], 0, dilations[0]),
            2 => F.max_pool2d(x, kernel, strides, zeros, dilations),
            _ => F.max_pool3d(x, kernel, strides, zeros, dilations),
        };
    }

    /// <summary>Average pooling without padding, i.e. the window sum divided by the kernel's size.</summary>
    public static Tensor AvgPool(Tensor x, long[] kernel, long[] strides)
    {
        var zeros = new long[kernel.Length];
        return kernel.Length switch
        {
            1 => F.avg_pool1d(x, kernel[0], strides[0], 0),
            2 => F.avg_pool2d(x, kernel, strides, zeros),
            _ => F.avg_pool3d(x, kernel, strides, zeros),
        };
    }

    /// <summary>Adds a per-channel bias to an N x C x ... tensor.</summary>
    public static Tensor AddChannelBias(Tensor y, Tensor bias)
    {
        var shape = new long[y.dim()];
        Array.Fill(shape, 1L);
        shape[1] = -1;
        using Tensor b = bias.reshape(shape);
        return y.add(b);
    }
}
