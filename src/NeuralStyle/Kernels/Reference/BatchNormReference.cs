using static NeuralStyle.Kernels.Reference.ReferenceChecks;

namespace NeuralStyle.Kernels.Reference;

/// <summary>A float64 reference implementation of torch.nn.functional.batch_norm with its gradients.</summary>
/// <remarks>
/// x is [N, C, H, W] (any rank of at least 2 works: [N, C, ...]); the statistics are per channel, over N and the
/// spatial positions. y = weight (x - mean) / sqrt(var + eps) + bias.
/// </remarks>
public static class BatchNormReference
{
    /// <summary>
    /// Training mode: normalises with the batch mean and the biased batch variance, and updates the running statistics to
    /// (1 - momentum) old + momentum batch, using the unbiased batch variance (M / (M - 1) times the biased one, M values
    /// per channel) for the running variance, as PyTorch does.
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not match, or a channel has only one value (PyTorch refuses that in training).</exception>
    public static BatchNormResult Training(
        HostTensor x, double[] weight, double[] bias, double[] runningMean, double[] runningVar, double momentum, double eps, HostTensor upstream)
    {
        (int n, int c, int spatial) = Check(x, weight, bias, runningMean, runningVar, upstream);
        long m = (long)n * spatial;
        if (m <= 1)
        {
            throw new ArgumentException(
                $"batch_norm: training needs more than one value per channel, but the input {HostTensor.Format(x.Shape)} has {m}", nameof(x));
        }

        var output = new HostTensor(x.Shape);
        var inputGrad = new HostTensor(x.Shape);
        var weightGrad = new HostTensor(c);
        var biasGrad = new HostTensor(c);
        double[] newMean = new double[c], newVar = new double[c];
        double[] xd = x.Data, up = upstream.Data, y = output.Data, gx = inputGrad.Data;

        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0;
            ForEach(n, c, spatial, ch, k => sum += xd[k]);
            double mean = sum / m;
            // Two-pass variance: no cancellation, so float64 matches PyTorch's (Welford) value to rounding.
            double squares = 0;
            ForEach(n, c, spatial, ch, k => squares += (xd[k] - mean) * (xd[k] - mean));
            double variance = squares / m;
            double invStd = 1 / Math.Sqrt(variance + eps);

            double sumUp = 0, sumUpXhat = 0;
            ForEach(n, c, spatial, ch, k =>
            {
                double xhat = (xd[k] - mean) * invStd;
                y[k] = (weight[ch] * xhat) + bias[ch];
                sumUp += up[k];
                sumUpXhat += up[k] * xhat;
            });

            // The batch statistics depend on x, so dx is not just upstream * weight * invStd: it loses the parts of the
            // upstream gradient along the mean (1) and along xhat, dx = weight invStd (dy - mean(dy) - xhat mean(dy xhat)).
            double meanUp = sumUp / m, meanUpXhat = sumUpXhat / m;
            ForEach(n, c, spatial, ch, k =>
            {
                double xhat = (xd[k] - mean) * invStd;
                gx[k] = weight[ch] * invStd * (up[k] - meanUp - (xhat * meanUpXhat));
            });

            weightGrad.Data[ch] = sumUpXhat;
            biasGrad.Data[ch] = sumUp;
            newMean[ch] = ((1 - momentum) * runningMean[ch]) + (momentum * mean);
            newVar[ch] = ((1 - momentum) * runningVar[ch]) + (momentum * squares / (m - 1));
        }

        return new BatchNormResult(output, inputGrad, weightGrad, biasGrad, newMean, newVar);
    }

    /// <summary>
    /// Evaluation mode: normalises with the running statistics, which are returned unchanged (as copies). The statistics
    /// are constants here, so the x-gradient is upstream * weight / sqrt(running_var + eps).
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public static BatchNormResult Evaluation(
        HostTensor x, double[] weight, double[] bias, double[] runningMean, double[] runningVar, double eps, HostTensor upstream)
    {
        (int n, int c, int spatial) = Check(x, weight, bias, runningMean, runningVar, upstream);
        var output = new HostTensor(x.Shape);
        var inputGrad = new HostTensor(x.Shape);
        var weightGrad = new HostTensor(c);
        var biasGrad = new HostTensor(c);
        double[] xd = x.Data, up = upstream.Data, y = output.Data, gx = inputGrad.Data;

        for (int ch = 0; ch < c; ch++)
        {
            double mean = runningMean[ch];
            double invStd = 1 / Math.Sqrt(runningVar[ch] + eps);
            double sumUp = 0, sumUpXhat = 0;
            ForEach(n, c, spatial, ch, k =>
            {
                double xhat = (xd[k] - mean) * invStd;
                y[k] = (weight[ch] * xhat) + bias[ch];
                gx[k] = up[k] * weight[ch] * invStd;
                sumUp += up[k];
                sumUpXhat += up[k] * xhat;
            });

            weightGrad.Data[ch] = sumUpXhat;
            biasGrad.Data[ch] = sumUp;
        }

        return new BatchNormResult(output, inputGrad, weightGrad, biasGrad, (double[])runningMean.Clone(), (double[])runningVar.Clone());
    }

    /// <summary>Calls <paramref name="body"/> with the flat index of every element of channel <paramref name="ch"/>.</summary>
    private static void ForEach(int n, int c, int spatial, int ch, Action<int> body)
    {
        for (int b = 0; b < n; b++)
        {
            int start = ((b * c) + ch) * spatial;
            for (int k = start; k < start + spatial; k++)
            {
                body(k);
            }
        }
    }

    private static (int N, int C, int Spatial) Check(
        HostTensor x, double[] weight, double[] bias, double[] runningMean, double[] runningVar, HostTensor upstream)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVar);
        if (x.Shape.Length < 2)
        {
            throw new ArgumentException($"batch_norm: the input must be [N, C, ...], but has shape {HostTensor.Format(x.Shape)}", nameof(x));
        }

        int c = Int(x.Shape[1]);
        foreach ((double[] array, string name) in new[] { (weight, nameof(weight)), (bias, nameof(bias)), (runningMean, nameof(runningMean)), (runningVar, nameof(runningVar)) })
        {
            if (array.Length != c)
            {
                throw new ArgumentException($"batch_norm: {name} has {array.Length} values but the input {HostTensor.Format(x.Shape)} has {c} channels", name);
            }
        }

        RequireShape(upstream, x.Shape, "batch_norm: the upstream gradient", nameof(upstream));
        int spatial = Int(x.Shape[2..].Aggregate(1L, (p, d) => p * d));
        return (Int(x.Shape[0]), c, spatial);
    }
}
