using static NeuralStyle.Kernels.Reference.ReferenceChecks;

namespace NeuralStyle.Kernels.Reference;

/// <summary>Float64 reference implementations of torch.nn.functional.max_pool2d and avg_pool2d with their gradients.</summary>
public static class Pool2dReference
{
    /// <summary>
    /// The output shape of max_pool2d / avg_pool2d (avg: dilation 1) on an input [N, C, H, W], by PyTorch's rule:
    /// out = floor_or_ceil((in + 2 pad - dilation (k - 1) - 1) / stride) + 1, and with ceil mode, when the last window
    /// would start in the right padding or beyond ((out - 1) stride ≥ in + pad, counted from the padded edge), out is
    /// one less.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The input is not 4-D, a kernel size, stride or dilation is not positive, the padding is negative or more than half
    /// the kernel size, or the output would be empty.
    /// </exception>
    public static long[] OutputShape(
        long[] inputShape, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, bool ceilMode)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (inputShape.Length != 4 || inputShape[0] < 0 || inputShape[1] < 0 || inputShape[2] < 1 || inputShape[3] < 1)
        {
            throw new ArgumentException($"pooling: the input must be [N, C, H, W] with non-zero H and W, but has shape {HostTensor.Format(inputShape)}", nameof(inputShape));
        }

        RequirePositive(kernel, "pooling: the kernel size", nameof(kernel));
        RequirePositive(stride, "pooling: the stride", nameof(stride));
        RequireNonNegative(padding, "pooling: the padding", nameof(padding));
        RequirePositive(dilation, "pooling: the dilation", nameof(dilation));
        // PyTorch's limit uses the kernel size, not the dilated extent.
        if (padding.H > kernel.H / 2 || padding.W > kernel.W / 2)
        {
            throw new ArgumentException(
                $"pooling: the padding ({padding.H}, {padding.W}) must be at most half the kernel size ({kernel.H}, {kernel.W})", nameof(padding));
        }

        long outH = OutputSize(inputShape[2], kernel.H, stride.H, padding.H, dilation.H, ceilMode);
        long outW = OutputSize(inputShape[3], kernel.W, stride.W, padding.W, dilation.W, ceilMode);
        if (outH < 1 || outW < 1)
        {
            throw new ArgumentException(
                $"pooling: the input {HostTensor.Format(inputShape)} is too small for the kernel ({kernel.H}, {kernel.W}) with dilation "
                + $"({dilation.H}, {dilation.W}) and padding ({padding.H}, {padding.W}); the output would be {outH} x {outW}",
                nameof(inputShape));
        }

        return [inputShape[0], inputShape[1], outH, outW];
    }

    /// <summary>
    /// torch.nn.functional.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode) and the gradient of
    /// sum(output * upstream) with respect to x.
    /// </summary>
    /// <remarks>
    /// The padding acts as -inf. The window is scanned in row-major order and the first maximum wins (a later equal value
    /// does not replace it; a NaN does, as in PyTorch's CPU kernel); the whole upstream value of that output goes to it,
    /// accumulating where windows overlap. A window with no element inside the input (possible only with dilation) gives
    /// -inf and passes no gradient.
    /// </remarks>
    /// <exception cref="ArgumentException">See <see cref="OutputShape"/>; or the upstream gradient's shape differs from the output's.</exception>
    public static PoolResult MaxPool(
        HostTensor x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, bool ceilMode, HostTensor upstream)
    {
        ArgumentNullException.ThrowIfNull(x);
        long[] outShape = OutputShape(x.Shape, kernel, stride, padding, dilation, ceilMode);
        RequireShape(upstream, outShape, "max_pool2d: the upstream gradient", nameof(upstream));
        int planes = Int(x.Shape[0] * x.Shape[1]), h = Int(x.Shape[2]), w = Int(x.Shape[3]);
        int oh = Int(outShape[2]), ow = Int(outShape[3]);
        var output = new HostTensor(outShape);
        var inputGrad = new HostTensor(x.Shape);
        double[] xd = x.Data, up = upstream.Data, y = output.Data, gx = inputGrad.Data;

        for (int p = 0; p < planes; p++)
        {
            int xPlane = p * h * w, yPlane = p * oh * ow;
            for (int r = 0; r < oh; r++)
            {
                for (int c = 0; c < ow; c++)
                {
                    double best = double.NegativeInfinity;
                    int bestIndex = -1;
                    for (int i = 0; i < kernel.H; i++)
                    {
                        int ih = (r * stride.H) - padding.H + (i * dilation.H);
                        if (ih < 0 || ih >= h)
                        {
                            continue;
                        }

                        for (int j = 0; j < kernel.W; j++)
                        {
                            int iw = (c * stride.W) - padding.W + (j * dilation.W);
                            if (iw < 0 || iw >= w)
                            {
                                continue;
                            }

                            int k = xPlane + (ih * w) + iw;
                            // Strictly greater: ties keep the first. The first real element is taken even when it is
                            // -inf, so that a window of -inf values still routes its gradient to an element.
                            if (bestIndex < 0 || xd[k] > best || double.IsNaN(xd[k]))
                            {
                                best = xd[k];
                                bestIndex = k;
                            }
                        }
                    }

                    int yi = yPlane + (r * ow) + c;
                    y[yi] = best;
                    if (bestIndex >= 0)
                    {
                        gx[bestIndex] += up[yi];
                    }
                }
            }
        }

        return new PoolResult(output, inputGrad);
    }

    /// <summary>
    /// torch.nn.functional.avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad) with no divisor override,
    /// and the gradient of sum(output * upstream) with respect to x.
    /// </summary>
    /// <remarks>
    /// PyTorch's divisor rule: a window's end is cut at the far edge of the padding (start + k, but at most in + pad), its
    /// padded size is taken then; the window is then cut to the input. With count_include_pad the divisor is the padded
    /// size (so a ceil-mode window that hangs past the padding divides by fewer than k·k), otherwise the number of input
    /// elements in the window. The sum is only ever over input elements (padding is zero).
    /// </remarks>
    /// <exception cref="ArgumentException">See <see cref="OutputShape"/>; or the upstream gradient's shape differs from the output's.</exception>
    public static PoolResult AvgPool(
        HostTensor x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, bool ceilMode, bool countIncludePad, HostTensor upstream)
    {
        ArgumentNullException.ThrowIfNull(x);
        long[] outShape = OutputShape(x.Shape, kernel, stride, padding, (1, 1), ceilMode);
        RequireShape(upstream, outShape, "avg_pool2d: the upstream gradient", nameof(upstream));
        int planes = Int(x.Shape[0] * x.Shape[1]), h = Int(x.Shape[2]), w = Int(x.Shape[3]);
        int oh = Int(outShape[2]), ow = Int(outShape[3]);
        var output = new HostTensor(outShape);
        var inputGrad = new HostTensor(x.Shape);
        double[] xd = x.Data, up = upstream.Data, y = output.Data, gx = inputGrad.Data;

        for (int r = 0; r < oh; r++)
        {
            (int h0, int h1, int padH) = Window(r, kernel.H, stride.H, padding.H, h);
            for (int c = 0; c < ow; c++)
            {
                (int w0, int w1, int padW) = Window(c, kernel.W, stride.W, padding.W, w);
                // OutputShape's sizes never give an empty window (each one starts inside the input or the left padding
                // and pad <= k / 2), but one would give 0 rather than a division by a zero count.
                if (h0 >= h1 || w0 >= w1)
                {
                    continue;
                }

                double divisor = countIncludePad ? (double)padH * padW : (double)(h1 - h0) * (w1 - w0);
                for (int p = 0; p < planes; p++)
                {
                    int xPlane = p * h * w, yi = (p * oh * ow) + (r * ow) + c;
                    double sum = 0;
                    for (int ih = h0; ih < h1; ih++)
                    {
                        for (int iw = w0; iw < w1; iw++)
                        {
                            sum += xd[xPlane + (ih * w) + iw];
                        }
                    }

                    y[yi] = sum / divisor;
                    double g = up[yi] / divisor;
                    for (int ih = h0; ih < h1; ih++)
                    {
                        for (int iw = w0; iw < w1; iw++)
                        {
                            gx[xPlane + (ih * w) + iw] += g;
                        }
                    }
                }
            }
        }

        return new PoolResult(output, inputGrad);
    }

    /// <summary>One output size by PyTorch's pooling rule (see <see cref="OutputShape"/>).</summary>
    private static long OutputSize(long input, int kernel, int stride, int pad, int dilation, bool ceilMode)
    {
        long span = input + (2L * pad) - ((long)dilation * (kernel - 1)) - 1;
        long size = FloorDiv(span + (ceilMode ? stride - 1 : 0), stride) + 1;
        // Ceil mode may add a window that starts in the right padding or past it; PyTorch drops it, so the last window
        // always starts inside the input or the left padding.
        if (ceilMode && (size - 1) * stride >= input + pad)
        {
            size--;
        }

        return size;
    }

    /// <summary>
    /// Output index <paramref name="o"/>'s window along one axis: the input range [Start, End) it averages and its size
    /// counted with the padding (end cut at in + pad before the cut to the input), for count_include_pad.
    /// </summary>
    private static (int Start, int End, int PaddedSize) Window(int o, int kernel, int stride, int pad, int size)
    {
        int start = (o * stride) - pad;
        int end = Math.Min(start + kernel, size + pad);
        int paddedSize = end - start;
        return (Math.Max(start, 0), Math.Min(end, size), paddedSize);
    }
}
