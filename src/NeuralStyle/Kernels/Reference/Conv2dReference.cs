using static NeuralStyle.Kernels.Reference.ReferenceChecks;

namespace NeuralStyle.Kernels.Reference;

/// <summary>
/// Float64 reference implementations of torch.nn.functional.conv2d and conv_transpose2d with their gradients, written
/// as plain loops to check LibTorch's native float32 kernels.
/// </summary>
public static class Conv2dReference
{
    /// <summary>
    /// The output shape of conv2d for an input [N, Cin, H, W] and a weight [Cout, Cin/groups, kH, kW]:
    /// [N, Cout, floor((H + 2 pad - dilation (kH - 1) - 1) / stride) + 1, likewise for the width].
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or the geometry are invalid, or the output would be empty.</exception>
    public static long[] OutputShape(long[] inputShape, long[] weightShape, ConvGeometry g)
    {
        CheckShapes(inputShape, weightShape, g, transposed: false);
        long outH = FloorDiv(inputShape[2] + (2L * g.Padding.H) - ((long)g.Dilation.H * (weightShape[2] - 1)) - 1, g.Stride.H) + 1;
        long outW = FloorDiv(inputShape[3] + (2L * g.Padding.W) - ((long)g.Dilation.W * (weightShape[3] - 1)) - 1, g.Stride.W) + 1;
        if (outH < 1 || outW < 1)
        {
            throw new ArgumentException(
                $"conv2d: the padded input ({inputShape[2] + (2L * g.Padding.H)} x {inputShape[3] + (2L * g.Padding.W)}) is smaller than the "
                + $"dilated kernel ({((long)g.Dilation.H * (weightShape[2] - 1)) + 1} x {((long)g.Dilation.W * (weightShape[3] - 1)) + 1}); "
                + $"the output would be {outH} x {outW}",
                nameof(inputShape));
        }

        return [inputShape[0], weightShape[0], outH, outW];
    }

    /// <summary>
    /// The output shape of conv_transpose2d for an input [N, Cin, H, W] and a weight [Cin, Cout/groups, kH, kW]:
    /// [N, Cout, (H - 1) stride - 2 pad + dilation (kH - 1) + output_padding + 1, likewise for the width].
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or the geometry are invalid, or the output would be empty.</exception>
    public static long[] TransposedOutputShape(long[] inputShape, long[] weightShape, ConvGeometry g)
    {
        CheckShapes(inputShape, weightShape, g, transposed: true);
        long outH = ((inputShape[2] - 1) * g.Stride.H) - (2L * g.Padding.H) + ((long)g.Dilation.H * (weightShape[2] - 1)) + g.OutputPadding.H + 1;
        long outW = ((inputShape[3] - 1) * g.Stride.W) - (2L * g.Padding.W) + ((long)g.Dilation.W * (weightShape[3] - 1)) + g.OutputPadding.W + 1;
        if (outH < 1 || outW < 1)
        {
            throw new ArgumentException(
                $"conv_transpose2d: the padding ({g.Padding.H}, {g.Padding.W}) crops the whole output; the output would be {outH} x {outW}",
                nameof(inputShape));
        }

        return [inputShape[0], weightShape[1] * g.Groups, outH, outW];
    }

    /// <summary>
    /// torch.nn.functional.conv2d(x, weight, bias, stride, padding, dilation, groups) and the gradients of
    /// sum(output * upstream) with respect to x, weight and bias.
    /// </summary>
    /// <param name="x">The input, [N, Cin, H, W].</param>
    /// <param name="weight">The kernels, [Cout, Cin / groups, kH, kW].</param>
    /// <param name="bias">The bias, [Cout], or null for none.</param>
    /// <param name="g">The geometry; its OutputPadding must be zero.</param>
    /// <param name="upstream">The gradient flowing into the output (the output's shape).</param>
    /// <exception cref="ArgumentException">A shape or the geometry is invalid.</exception>
    public static ConvResult Evaluate(HostTensor x, HostTensor weight, HostTensor? bias, ConvGeometry g, HostTensor upstream)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        long[] outShape = OutputShape(x.Shape, weight.Shape, g);
        CheckBias(bias, outShape[1]);
        RequireShape(upstream, outShape, "conv2d: the upstream gradient", nameof(upstream));

        int n = Int(x.Shape[0]), cin = Int(x.Shape[1]), h = Int(x.Shape[2]), w = Int(x.Shape[3]);
        int cout = Int(outShape[1]), oh = Int(outShape[2]), ow = Int(outShape[3]);
        int kh = Int(weight.Shape[2]), kw = Int(weight.Shape[3]);
        int groups = g.Groups, cinG = cin / groups, coutG = cout / groups;
        (int sH, int sW) = g.Stride;
        (int pH, int pW) = g.Padding;
        (int dH, int dW) = g.Dilation;

        var output = new HostTensor(outShape);
        var inputGrad = new HostTensor(x.Shape);
        var weightGrad = new HostTensor(weight.Shape);
        HostTensor? biasGrad = bias is null ? null : new HostTensor(bias.Shape);
        double[] xd = x.Data, wd = weight.Data, up = upstream.Data, y = output.Data, gx = inputGrad.Data, gw = weightGrad.Data;

        AddBias(y, bias?.Data, biasGrad?.Data, up, n, cout, oh * ow);

        // For each kernel row i, the output rows whose input row r * sH - pH + i * dH lies inside the image (not in the
        // padding); likewise for the columns. Computed once, so the inner loops test no bounds.
        var rows = new (int Lo, int Hi)[kh];
        for (int i = 0; i < kh; i++)
        {
            rows[i] = ValidRange(oh, h, sH, pH, i * dH);
        }

        var cols = new (int Lo, int Hi)[kw];
        for (int j = 0; j < kw; j++)
        {
            cols[j] = ValidRange(ow, w, sW, pW, j * dW);
        }

        // One pass computes the output and both gradients: each (output position, tap) pair meets exactly one input
        // element, and y += w x, dx += w dy, dw += x dy are the three uses of that pair.
        for (int b = 0; b < n; b++)
        {
            for (int grp = 0; grp < groups; grp++)
            {
                for (int co = grp * coutG; co < (grp + 1) * coutG; co++)
                {
                    int yPlane = ((b * cout) + co) * oh * ow;
                    for (int ci = 0; ci < cinG; ci++)
                    {
                        int xPlane = ((b * cin) + (grp * cinG) + ci) * h * w;
                        int wBase = ((co * cinG) + ci) * kh * kw;
                        for (int i = 0; i < kh; i++)
                        {
                            (int rLo, int rHi) = rows[i];
                            for (int j = 0; j < kw; j++)
                            {
                                (int cLo, int cHi) = cols[j];
                                if (cLo == cHi)
                                {
                                    // No column reads the input through this tap (and the start index below may be out of the array).
                                    continue;
                                }

                                double wv = wd[wBase + (i * kw) + j];
                                double dw = 0;
                                for (int r = rLo; r < rHi; r++)
                                {
                                    // Output columns cLo..cHi of row r and the input elements they read through tap (i, j).
                                    int yStart = yPlane + (r * ow) + cLo;
                                    int xStart = xPlane + (((r * sH) - pH + (i * dH)) * w) + (cLo * sW) - pW + (j * dW);
                                    dw += ConvTaps.Row(cHi - cLo, up.AsSpan(yStart), y.AsSpan(yStart), xd.AsSpan(xStart), gx.AsSpan(xStart), sW, wv);
                                }

                                gw[wBase + (i * kw) + j] += dw;
                            }
                        }
                    }
                }
            }
        }

        return new ConvResult(output, inputGrad, weightGrad, biasGrad);
    }

    /// <summary>
    /// torch.nn.functional.conv_transpose2d(x, weight, bias, stride, padding, output_padding, groups, dilation) and the
    /// gradients of sum(output * upstream) with respect to x, weight and bias.
    /// </summary>
    /// <remarks>
    /// Input element (ih, iw) of channel ci adds x * weight[ci, co, i, j] to output element
    /// (ih * stride - pad + i * dilation, iw * stride - pad + j * dilation) of channel co, when that lies in the output:
    /// the adjoint of conv2d with the same weight, except that output_padding can add rows and columns that conv2d would
    /// not have read.
    /// </remarks>
    /// <param name="x">The input, [N, Cin, H, W].</param>
    /// <param name="weight">The kernels, [Cin, Cout / groups, kH, kW] (input channels first, unlike conv2d).</param>
    /// <param name="bias">The bias, [Cout], or null for none.</param>
    /// <param name="g">The geometry, including OutputPadding.</param>
    /// <param name="upstream">The gradient flowing into the output (the output's shape).</param>
    /// <exception cref="ArgumentException">A shape or the geometry is invalid.</exception>
    public static ConvResult EvaluateTransposed(HostTensor x, HostTensor weight, HostTensor? bias, ConvGeometry g, HostTensor upstream)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        long[] outShape = TransposedOutputShape(x.Shape, weight.Shape, g);
        CheckBias(bias, outShape[1]);
        RequireShape(upstream, outShape, "conv_transpose2d: the upstream gradient", nameof(upstream));

        int n = Int(x.Shape[0]), cin = Int(x.Shape[1]), h = Int(x.Shape[2]), w = Int(x.Shape[3]);
        int cout = Int(outShape[1]), oh = Int(outShape[2]), ow = Int(outShape[3]);
        int kh = Int(weight.Shape[2]), kw = Int(weight.Shape[3]);
        int groups = g.Groups, cinG = cin / groups, coutG = cout / groups;
        (int sH, int sW) = g.Stride;
        (int pH, int pW) = g.Padding;
        (int dH, int dW) = g.Dilation;

        var output = new HostTensor(outShape);
        var inputGrad = new HostTensor(x.Shape);
        var weightGrad = new HostTensor(weight.Shape);
        HostTensor? biasGrad = bias is null ? null : new HostTensor(bias.Shape);
        double[] xd = x.Data, wd = weight.Data, up = upstream.Data, y = output.Data, gx = inputGrad.Data, gw = weightGrad.Data;

        AddBias(y, bias?.Data, biasGrad?.Data, up, n, cout, oh * ow);

        // Here the loops run over input positions; for kernel row i, the input rows whose target output row
        // r * sH - pH + i * dH lies inside the (cropped) output.
        var rows = new (int Lo, int Hi)[kh];
        for (int i = 0; i < kh; i++)
        {
            rows[i] = ValidRange(h, oh, sH, pH, i * dH);
        }

        var cols = new (int Lo, int Hi)[kw];
        for (int j = 0; j < kw; j++)
        {
            cols[j] = ValidRange(w, ow, sW, pW, j * dW);
        }

        for (int b = 0; b < n; b++)
        {
            for (int grp = 0; grp < groups; grp++)
            {
                for (int ci = grp * cinG; ci < (grp + 1) * cinG; ci++)
                {
                    int xPlane = ((b * cin) + ci) * h * w;
                    for (int co = 0; co < coutG; co++)
                    {
                        int yPlane = ((b * cout) + (grp * coutG) + co) * oh * ow;
                        int wBase = ((ci * coutG) + co) * kh * kw;
                        for (int i = 0; i < kh; i++)
                        {
                            (int rLo, int rHi) = rows[i];
                            for (int j = 0; j < kw; j++)
                            {
                                (int cLo, int cHi) = cols[j];
                                if (cLo == cHi)
                                {
                                    // No column reads the input through this tap (and the start index below may be out of the array).
                                    continue;
                                }

                                double wv = wd[wBase + (i * kw) + j];
                                double dw = 0;
                                for (int r = rLo; r < rHi; r++)
                                {
                                    // Input columns cLo..cHi of row r and the output elements they feed through tap (i, j).
                                    int xStart = xPlane + (r * w) + cLo;
                                    int yStart = yPlane + (((r * sH) - pH + (i * dH)) * ow) + (cLo * sW) - pW + (j * dW);
                                    dw += ConvTaps.Row(cHi - cLo, xd.AsSpan(xStart), gx.AsSpan(xStart), up.AsSpan(yStart), y.AsSpan(yStart), sW, wv);
                                }

                                gw[wBase + (i * kw) + j] += dw;
                            }
                        }
                    }
                }
            }
        }

        return new ConvResult(output, inputGrad, weightGrad, biasGrad);
    }

    /// <summary>Starts every output plane at its channel's bias and sums each upstream plane into the bias gradient.</summary>
    private static void AddBias(double[] y, double[]? bias, double[]? biasGrad, double[] up, int n, int channels, int plane)
    {
        if (bias is null || biasGrad is null)
        {
            return;
        }

        for (int b = 0; b < n; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                int start = ((b * channels) + c) * plane;
                Array.Fill(y, bias[c], start, plane);
                double sum = 0;
                for (int k = start; k < start + plane; k++)
                {
                    sum += up[k];
                }

                biasGrad[c] += sum;
            }
        }
    }

    private static void CheckBias(HostTensor? bias, long channels)
    {
        if (bias is not null && (bias.Shape.Length != 1 || bias.Shape[0] != channels))
        {
            throw new ArgumentException($"the bias must have shape [{channels}] (one per output channel), but has shape {HostTensor.Format(bias.Shape)}", nameof(bias));
        }
    }

    private static void CheckShapes(long[] inputShape, long[] weightShape, ConvGeometry g, bool transposed)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(weightShape);
        ArgumentNullException.ThrowIfNull(g);
        string op = transposed ? "conv_transpose2d" : "conv2d";
        if (inputShape.Length != 4 || inputShape[0] < 0 || inputShape[1] < 1 || inputShape[2] < 1 || inputShape[3] < 1)
        {
            throw new ArgumentException($"{op}: the input must be [N, C, H, W] with non-zero C, H and W, but has shape {HostTensor.Format(inputShape)}", nameof(inputShape));
        }

        if (weightShape.Length != 4 || weightShape[0] < 1 || weightShape[1] < 1 || weightShape[2] < 1 || weightShape[3] < 1)
        {
            throw new ArgumentException($"{op}: the weight must have 4 non-zero dimensions, but has shape {HostTensor.Format(weightShape)}", nameof(weightShape));
        }

        RequirePositive(g.Stride, $"{op}: the stride", nameof(g));
        RequireNonNegative(g.Padding, $"{op}: the padding", nameof(g));
        RequirePositive(g.Dilation, $"{op}: the dilation", nameof(g));
        RequireNonNegative(g.OutputPadding, $"{op}: the output padding", nameof(g));
        if (g.Groups < 1)
        {
            throw new ArgumentException($"{op}: groups must be at least 1, but is {g.Groups}", nameof(g));
        }

        long cin = inputShape[1];
        if (cin % g.Groups != 0)
        {
            throw new ArgumentException($"{op}: the input's {cin} channels are not divisible by groups = {g.Groups}", nameof(inputShape));
        }

        if (!transposed)
        {
            if (g.OutputPadding != default)
            {
                throw new ArgumentException($"conv2d has no output padding, but the geometry has ({g.OutputPadding.H}, {g.OutputPadding.W})", nameof(g));
            }

            if (weightShape[0] % g.Groups != 0)
            {
                throw new ArgumentException($"conv2d: the weight's {weightShape[0]} output channels are not divisible by groups = {g.Groups}", nameof(weightShape));
            }

            if (weightShape[1] * g.Groups != cin)
            {
                throw new ArgumentException(
                    $"conv2d: the weight {HostTensor.Format(weightShape)} with groups = {g.Groups} expects {weightShape[1] * g.Groups} input channels, "
                    + $"but the input {HostTensor.Format(inputShape)} has {cin}",
                    nameof(weightShape));
            }
        }
        else
        {
            if (weightShape[0] != cin)
            {
                throw new ArgumentException(
                    $"conv_transpose2d: the weight {HostTensor.Format(weightShape)} expects {weightShape[0]} input channels (its first dimension), "
                    + $"but the input {HostTensor.Format(inputShape)} has {cin}",
                    nameof(weightShape));
            }

            // PyTorch's rule: output padding picks one of the stride (or dilation) phases that the formula leaves out,
            // so it must be below the stride or below the dilation.
            if ((g.OutputPadding.H >= g.Stride.H && g.OutputPadding.H >= g.Dilation.H)
                || (g.OutputPadding.W >= g.Stride.W && g.OutputPadding.W >= g.Dilation.W))
            {
                throw new ArgumentException(
                    $"conv_transpose2d: the output padding ({g.OutputPadding.H}, {g.OutputPadding.W}) must be smaller than either the stride "
                    + $"({g.Stride.H}, {g.Stride.W}) or the dilation ({g.Dilation.H}, {g.Dilation.W}) in each dimension",
                    nameof(g));
            }
        }
    }
}
