using static TorchSharp.torch;

namespace NeuralStyle.Transfer;

/// <summary>Adam exactly as TensorFlow 1's AdamOptimizer applies it, on a single tensor.</summary>
/// <remarks>
/// TensorFlow folds the bias corrections into the step size and adds epsilon to sqrt(v) unscaled:
/// lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t); x -= lr_t * m / (sqrt(v) + eps). torch.optim.Adam adds epsilon after
/// the correction, which changes the trajectory when v is small, so the seed's runs need this form.
/// </remarks>
public sealed class TensorFlowAdam : IDisposable
{
    private readonly Tensor _m;
    private readonly Tensor _v;

    /// <summary>Creates the optimiser state for <paramref name="variable"/>.</summary>
    public TensorFlowAdam(Tensor variable, double learningRate, double beta1, double beta2, double epsilon)
    {
        Variable = variable;
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _m = zeros_like(variable);
        _v = zeros_like(variable);
    }

    /// <summary>The tensor being optimised (updated in place).</summary>
    public Tensor Variable { get; }

    /// <summary>Step size.</summary>
    public double LearningRate { get; }

    /// <summary>Decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Added to sqrt(v).</summary>
    public double Epsilon { get; }

    /// <summary>Steps taken so far.</summary>
    public long Step { get; private set; }

    /// <summary>First moment estimate (read-only view for checkpoints and tests).</summary>
    public Tensor FirstMoment => _m;

    /// <summary>Second moment estimate.</summary>
    public Tensor SecondMoment => _v;

    /// <summary>Restores the step count and moments saved from an earlier run (for resuming).</summary>
    public void Restore(long step, Tensor firstMoment, Tensor secondMoment)
    {
        if (!firstMoment.shape.SequenceEqual(_m.shape) || !secondMoment.shape.SequenceEqual(_v.shape))
        {
            throw new ArgumentException("saved Adam moments do not have the image's shape");
        }

        using (no_grad())
        {
            _m.copy_(firstMoment);
            _v.copy_(secondMoment);
        }

        Step = step;
    }

    /// <summary>Applies one update with the given gradient.</summary>
    public void Apply(Tensor gradient)
    {
        Step++;
        double lrT = LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, Step)) / (1 - Math.Pow(Beta1, Step));
        using (no_grad())
        {
            _m.mul_(Beta1).add_(gradient, alpha: 1 - Beta1);
            _v.mul_(Beta2).addcmul_(gradient, gradient, value: 1 - Beta2);
            using Tensor denom = _v.sqrt().add_(Epsilon);
            Variable.addcdiv_(_m, denom, value: -lrT);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _m.Dispose();
        _v.Dispose();
    }
}
