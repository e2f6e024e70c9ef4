using static NeuralStyle.Kernels.Reference.ReferenceChecks;

namespace NeuralStyle.Kernels.Reference;

/// <summary>A float64 reference implementation of torch.nn.functional.linear with its gradients.</summary>
public static class LinearReference
{
    /// <summary>
    /// torch.nn.functional.linear(x, weight, bias), y = x Wᵀ + b, and the gradients of sum(y * upstream) with respect to
    /// x, weight and bias.
    /// </summary>
    /// <param name="x">The input, [N, In]. As in PyTorch, more leading dimensions are allowed ([..., In]); they are treated as rows.</param>
    /// <param name="weight">The weight, [Out, In].</param>
    /// <param name="bias">The bias, [Out], or null for none.</param>
    /// <param name="upstream">The gradient flowing into the output, [N, Out] (x's leading dimensions, then Out).</param>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public static LinearResult Evaluate(HostTensor x, HostTensor weight, HostTensor? bias, HostTensor upstream)
    {
        ArgumentNullException.ThrowIfNull(x);
        RequireRank(weight, 2, "linear: the weight", nameof(weight));
        if (x.Shape.Length < 1)
        {
            throw new ArgumentException("linear: the input must have at least one dimension", nameof(x));
        }

        int outF = Int(weight.Shape[0]), inF = Int(weight.Shape[1]);
        if (x.Shape[^1] != inF)
        {
            throw new ArgumentException(
                $"linear: the input {HostTensor.Format(x.Shape)} has {x.Shape[^1]} features but the weight {HostTensor.Format(weight.Shape)} expects {inF}",
                nameof(x));
        }

        if (bias is not null && (bias.Shape.Length != 1 || bias.Shape[0] != outF))
        {
            throw new ArgumentException($"linear: the bias must have shape [{outF}], but has shape {HostTensor.Format(bias.Shape)}", nameof(bias));
        }

        long[] outShape = [.. x.Shape[..^1], outF];
        RequireShape(upstream, outShape, "linear: the upstream gradient", nameof(upstream));

        // Rows of x; with In = 0 the count cannot come from the data length.
        int rows = Int(x.Shape[..^1].Aggregate(1L, (p, d) => p * d));
        var output = new HostTensor(outShape);
        var inputGrad = new HostTensor(x.Shape);
        var weightGrad = new HostTensor(weight.Shape);
        HostTensor? biasGrad = bias is null ? null : new HostTensor(bias.Shape);
        double[] xd = x.Data, wd = weight.Data, up = upstream.Data, y = output.Data, gx = inputGrad.Data, gw = weightGrad.Data;

        for (int r = 0; r < rows; r++)
        {
            int xRow = r * inF;
            for (int o = 0; o < outF; o++)
            {
                int wRow = o * inF;
                double u = up[(r * outF) + o];
                double sum = bias is null ? 0 : bias.Data[o];
                // Contiguous over In for x, the weight row and both gradients.
                for (int k = 0; k < inF; k++)
                {
                    sum += xd[xRow + k] * wd[wRow + k];
                    gx[xRow + k] += u * wd[wRow + k];
                    gw[wRow + k] += u * xd[xRow + k];
                }

                y[(r * outF) + o] = sum;
                if (biasGrad is not null)
                {
                    biasGrad.Data[o] += u;
                }
            }
        }

        return new LinearResult(output, inputGrad, weightGrad, biasGrad);
    }
}
