using NeuralStyle.Kernels.Reference;
using static TorchSharp.torch;

namespace NeuralStyle.Kernels;

/// <summary>batch_norm in training (batch statistics, running statistics updated) or evaluation: output and gradients.</summary>
public sealed class BatchNormCase : KernelCase
{
    private const double Momentum = 0.1;
    private const double Epsilon = 1e-5;

    private readonly HostTensor _x;
    private readonly HostTensor _upstream;
    private readonly double[] _weight;
    private readonly double[] _bias;
    private readonly double[] _runningMean;
    private readonly double[] _runningVar;

    /// <summary>Batch norm of a batch x channels x height x width input.</summary>
    public BatchNormCase(int batch, int channels, int height, int width, bool training, int seed = 1)
        : base(seed)
    {
        Training = training;
        var random = new Random(seed);
        _x = RandomInput(random, batch, channels, height, width);
        // Shift and scale the input per channel so that the statistics are not those of a plain uniform draw.
        for (int i = 0; i < _x.Data.Length; i++)
        {
            long c = i / (height * width) % channels;
            _x.Data[i] = (float)((_x.Data[i] * (1 + (c % 3))) + (0.5 * (c % 5)));
        }

        _upstream = RandomInput(random, batch, channels, height, width);
        _weight = RandomInput(random, channels).Data;
        _bias = RandomInput(random, channels).Data;
        _runningMean = RandomInput(random, channels).Data;
        _runningVar = [.. RandomInput(random, channels).Data.Select(v => (double)(float)(1.5 + v))];
    }

    /// <summary>Training mode (else evaluation).</summary>
    public bool Training { get; }

    /// <inheritdoc />
    public override string Operation => "batch_norm";

    /// <inheritdoc />
    public override string Name => $"batch_norm x{Shape(_x.Shape)} {(Training ? "training" : "evaluation")}";

    /// <inheritdoc />
    public override IReadOnlyList<long> AllocationSizes => [_x.Count, _x.Count];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> Evaluate()
    {
        long channels = _x.Shape[1];
        Tensor x = ToTorch(_x, requiresGrad: true);
        Tensor weight = ToTorch(_weight, channels).requires_grad_();
        Tensor bias = ToTorch(_bias, channels).requires_grad_();
        Tensor mean = ToTorch(_runningMean, channels);
        Tensor variance = ToTorch(_runningVar, channels);
        Tensor y = nn.functional.batch_norm(x, mean, variance, weight, bias, Training, Momentum, Epsilon);
        (y * ToTorch(_upstream, requiresGrad: false)).sum().backward();
        var results = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["output"] = y.detach(),
            ["input gradient"] = x.grad!,
            ["weight gradient"] = weight.grad!,
            ["bias gradient"] = bias.grad!,
        };
        if (Training)
        {
            results["running mean"] = mean;
            results["running variance"] = variance;
        }

        return results;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The sums of |terms| of each output: y = w x^ + b; db = sum dy; dw = sum dy x^; in training
    /// dx = w / s (dy - mean dy - x^ mean(dy x^)), in evaluation dx = w dy / s (s the standard deviation used).
    /// With two values per channel the training input gradient is exactly zero: only this scale makes it checkable.
    /// </remarks>
    protected override IReadOnlyDictionary<string, double[]> ComputeMagnitudes()
    {
        long n = _x.Shape[0], channels = _x.Shape[1], plane = _x.Shape[2] * _x.Shape[3];
        long count = n * plane;
        double[] output = new double[_x.Count], inputGrad = new double[_x.Count], weightGrad = new double[channels], biasGrad = new double[channels];
        for (long c = 0; c < channels; c++)
        {
            IEnumerable<long> indices = Indices(c, n, channels, plane);
            double mean = Training ? indices.Average(i => _x.Data[i]) : _runningMean[c];
            double variance = Training ? indices.Average(i => (_x.Data[i] - mean) * (_x.Data[i] - mean)) : _runningVar[c];
            double invStd = 1 / Math.Sqrt(variance + Epsilon);
            double meanAbsDy = indices.Average(i => Math.Abs(_upstream.Data[i]));
            double meanAbsDyXhat = indices.Average(i => Math.Abs(_upstream.Data[i] * (_x.Data[i] - mean) * invStd));
            foreach (long i in indices)
            {
                double xhat = Math.Abs((_x.Data[i] - mean) * invStd), dy = Math.Abs(_upstream.Data[i]);
                output[i] = (Math.Abs(_weight[c]) * xhat) + Math.Abs(_bias[c]);
                inputGrad[i] = Math.Abs(_weight[c]) * invStd * (Training ? dy + meanAbsDy + (xhat * meanAbsDyXhat) : dy);
            }

            biasGrad[c] = meanAbsDy * count;
            weightGrad[c] = meanAbsDyXhat * count;
        }

        return new Dictionary<string, double[]>(StringComparer.Ordinal)
        {
            ["output"] = output,
            ["input gradient"] = inputGrad,
            ["weight gradient"] = weightGrad,
            ["bias gradient"] = biasGrad,
        };
    }

    private static IEnumerable<long> Indices(long channel, long n, long channels, long plane)
    {
        for (long b = 0; b < n; b++)
        {
            for (long k = 0; k < plane; k++)
            {
                yield return (((b * channels) + channel) * plane) + k;
            }
        }
    }

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, double[]> ComputeReference()
    {
        BatchNormResult r = Training
            ? BatchNormReference.Training(_x, _weight, _bias, [.. _runningMean], [.. _runningVar], Momentum, Epsilon, _upstream)
            : BatchNormReference.Evaluation(_x, _weight, _bias, [.. _runningMean], [.. _runningVar], Epsilon, _upstream);
        var results = new Dictionary<string, double[]>(StringComparer.Ordinal)
        {
            ["output"] = r.Output.Data,
            ["input gradient"] = r.InputGrad.Data,
            ["weight gradient"] = r.WeightGrad.Data,
            ["bias gradient"] = r.BiasGrad.Data,
        };
        if (Training)
        {
            results["running mean"] = r.RunningMean;
            results["running variance"] = r.RunningVar;
        }

        return results;
    }
}
