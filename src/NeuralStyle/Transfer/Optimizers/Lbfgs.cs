using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Transfer.Optimizers;

/// <summary>Limited-memory BFGS on a single tensor, as torch.optim.LBFGS does it with max_iter = 1 per <see cref="Step"/>.</summary>
/// <remarks>
/// <para>
/// The closure computes the loss at the current value of <see cref="Variable"/>, calls backward() on it and returns it
/// (a one-element tensor). Lbfgs zeroes Variable.grad before every call, so the closure must not, and runs the call with
/// gradients enabled inside its own dispose scope: the returned tensor and everything else the closure allocates are
/// disposed once the loss and gradient have been read (read values with item() inside the closure, or
/// MoveToOuterDisposeScope what must outlive it). Without line search a step calls it once, at the variable before
/// the step; with strong Wolfe, also once per trial of the search (the gradient where the step lands is evaluated
/// again by the next step, as torch.optim.LBFGS does).
/// </para>
/// <para>
/// Memory: 2 * HistorySize tensors the variable's size for the pairs, 2 for the direction and the previous gradient,
/// and 1 more while a line search runs (<see cref="LbfgsOptions.EstimateStateBytes"/>). A full history recycles the
/// dropped pair's buffers, so steps allocate nothing image-sized once it has filled.
/// </para>
/// </remarks>
public sealed class Lbfgs : IDisposable
{
    private readonly LbfgsHistory _history;
    private Tensor? _direction;
    private Tensor? _previousGradient;
    private double _stepSize;
    private double _previousLoss;
    private bool _disposed;

    /// <summary>Creates the optimiser for <paramref name="variable"/>, a floating-point leaf tensor that requires grad.</summary>
    public Lbfgs(Tensor variable, LbfgsOptions options)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!variable.is_floating_point() || !variable.requires_grad)
        {
            throw new ArgumentException("the variable must be a floating-point tensor that requires grad", nameof(variable));
        }

        Variable = variable;
        Options = options;
        _history = new LbfgsHistory(options.HistorySize);
    }

    /// <summary>The tensor being optimised (updated in place).</summary>
    public Tensor Variable { get; }

    /// <summary>The settings.</summary>
    public LbfgsOptions Options { get; }

    /// <summary>(s, y) pairs stored, at most <see cref="LbfgsOptions.HistorySize"/>.</summary>
    public int HistoryCount => _history.Count;

    /// <summary>Steps that computed a direction (those stopped by the gradient or change tests before it do not count).</summary>
    public long Iterations { get; private set; }

    /// <summary>Steps shortened by <see cref="LbfgsOptions.BacktrackOnIncrease"/> since this object was made (not part of the exported state).</summary>
    public long Backtracks { get; private set; }

    /// <summary>Closure calls made by all steps.</summary>
    public long FunctionEvaluations { get; private set; }

    /// <summary>One L-BFGS iteration: evaluates <paramref name="closure"/> (see the remarks), then moves the variable.</summary>
    public LbfgsStepResult Step(Func<Tensor> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        ObjectDisposedException.ThrowIf(_disposed, this);

        double loss = Evaluate(closure);
        if (Backtrack(loss))
        {
            return new LbfgsStepResult(loss, 1, _stepSize, Converged: false);
        }

        using Tensor gradient = Gradient();

        if (StoppedBeforeDirection(loss, gradient))
        {
            return new LbfgsStepResult(loss, 1, 0, Converged: true);
        }

        Iterations++;
        bool first = _direction is null;
        Tensor direction = UpdateDirection(gradient, loss);
        double step = first ? Math.Min(1, 1 / Norm1(gradient)) * Options.LearningRate : Options.LearningRate;

        double slope = LbfgsHistory.Dot(gradient, direction);
        if (slope > -Options.ToleranceChange)
        {
            // Not (enough of) a descent direction: only a zero gradient or rounding gets here. Not moving also makes
            // the next pair s = 0, which the history refuses.
            _stepSize = 0;
            return new LbfgsStepResult(loss, 1, 0, Converged: true);
        }

        int evaluations = 1;
        if (Options.StrongWolfe)
        {
            (step, evaluations) = Search(closure, direction, loss, slope, step);
        }
        else
        {
            using (no_grad())
            {
                Variable.add_(direction, alpha: step);
            }
        }

        _stepSize = step;
        return new LbfgsStepResult(loss, evaluations, step, Converged: false);
    }

    /// <summary>Copies the state out, for a checkpoint; the copy is the caller's to dispose.</summary>
    public LbfgsState ExportState()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new LbfgsState(
            [.. _history.StepDifferences.Select(Copy)],
            [.. _history.GradientDifferences.Select(Copy)],
            [.. _history.Rho],
            _history.InitialHessianScale,
            _direction is null ? null : Copy(_direction),
            _previousGradient is null ? null : Copy(_previousGradient),
            _stepSize,
            _previousLoss,
            Iterations,
            FunctionEvaluations);
    }

    /// <summary>Replaces the state by a copy of <paramref name="state"/> (which stays the caller's); the next step resumes from it.</summary>
    /// <remarks>Tensors are converted to the variable's dtype and device; a longer history than HistorySize keeps its newest pairs.</remarks>
    public void ImportState(LbfgsState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((state.Direction is null) != (state.PreviousGradient is null) || (state.Direction is null) != (state.Iterations == 0))
        {
            throw new ArgumentException("the direction and previous gradient must both be present exactly when iterations > 0", nameof(state));
        }

        _history.Load(state.StepDifferences, state.GradientDifferences, state.Rho, state.InitialHessianScale, Variable);
        Replace(ref _direction, state.Direction is null ? null : LbfgsHistory.CopyLike(state.Direction, Variable));
        Replace(ref _previousGradient, state.PreviousGradient is null ? null : LbfgsHistory.CopyLike(state.PreviousGradient, Variable));
        _stepSize = state.StepSize;
        _previousLoss = state.PreviousLoss;
        Iterations = state.Iterations;
        FunctionEvaluations = state.FunctionEvaluations;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _history.Dispose();
        _direction?.Dispose();
        _previousGradient?.Dispose();
    }

    // Small rises are normal for L-BFGS without a line search (and a first step of length 1/|g|_1 can change a float32
    // loss by less than its rounding); only a rise beyond this fraction shortens the step.
    private const double IncreaseTolerance = 0.01;

    // When the last step raised the loss: moves back along it to the minimiser of the parabola through the start's loss
    // and slope and the failed step's loss, kept between 1/1000 and 1/2 of the failed length (the losses here are
    // quartic in the image, so an overshoot can be by ten orders of magnitude). The loss and gradient of the step's
    // start are kept, so the next call evaluates the shorter step as if it had been the one taken.
    private bool Backtrack(double loss)
    {
        if (!Options.BacktrackOnIncrease || Options.StrongWolfe || _direction is null || _previousGradient is null || !(_stepSize > 0)
            || !(loss > _previousLoss + (IncreaseTolerance * Math.Abs(_previousLoss))))
        {
            return false;
        }

        double t = _stepSize;
        double slope = LbfgsHistory.Dot(_previousGradient, _direction);
        double excess = loss - _previousLoss - (slope * t);
        double shorter = excess > 0 && slope < 0 ? -slope * t * t / (2 * excess) : t / 2;
        shorter = Math.Clamp(shorter, t * 1e-3, t / 2);
        using (no_grad())
        {
            Variable.add_(_direction, alpha: shorter - t);
        }

        _stepSize = shorter;
        Backtracks++;
        return true;
    }

    // torch.optim.LBFGS's tests: the gradient one at the start of every step, the change ones (which look at the
    // previous step) only from the second on. A tolerance of 0 turns its tests off, so exactly N steps are taken.
    private bool StoppedBeforeDirection(double loss, Tensor gradient)
    {
        if (Options.ToleranceGrad > 0 && MaxAbs(gradient) <= Options.ToleranceGrad)
        {
            return true;
        }

        return Options.ToleranceChange > 0 && _direction is not null
            && (Math.Abs(loss - _previousLoss) < Options.ToleranceChange
                || (_stepSize * MaxAbs(_direction)) <= Options.ToleranceChange);
    }

    // The new direction -H g, after offering the pair the previous step made to the history. Leaves the previous
    // gradient and loss set to this step's.
    private Tensor UpdateDirection(Tensor gradient, double loss)
    {
        using (no_grad())
        {
            if (_direction is null || _previousGradient is null)
            {
                _direction = empty_like(Variable).DetachFromDisposeScope();
                _previousGradient = empty_like(Variable).DetachFromDisposeScope();
                _direction.copy_(gradient).neg_();
            }
            else
            {
                // y = g - g_prev, built in the previous gradient's buffer, which is overwritten with g below anyway;
                // the history hands back a free buffer (a dropped pair's) when it keeps this one.
                _previousGradient.sub_(gradient).neg_();
                _previousGradient = _history.Offer(_direction, _stepSize, _previousGradient);
                _direction.copy_(gradient).neg_();
                _history.ApplyInverseHessian(_direction);
            }

            _previousGradient.copy_(gradient);
        }

        _previousLoss = loss;
        return _direction;
    }

    private (double Step, int Evaluations) Search(Func<Tensor> closure, Tensor direction, double loss, double slope, double step)
    {
        using Tensor start = Variable.detach().clone();
        (double, double) Phi(double t)
        {
            MoveTo(start, direction, t);
            double f = Evaluate(closure);
            using Tensor g = Gradient();
            return (f, LbfgsHistory.Dot(g, direction));
        }

        StrongWolfeLineSearch.Result result = StrongWolfeLineSearch.Search(Phi, loss, slope, step, MaxAbs(direction));

        // The search may end on an earlier trial than its last one.
        MoveTo(start, direction, result.Step);
        return (result.Step, 1 + result.Evaluations);
    }

    private void MoveTo(Tensor start, Tensor direction, double t)
    {
        using (no_grad())
        {
            Variable.copy_(start).add_(direction, alpha: t);
        }
    }

    private double Evaluate(Func<Tensor> closure)
    {
        using (Tensor? stale = Variable.grad)
        {
            stale?.zero_();
        }

        using var scope = NewDisposeScope();
        using var gradients = enable_grad();
        Tensor loss = closure();
        FunctionEvaluations++;
        if (loss.NumberOfElements != 1)
        {
            throw new InvalidOperationException($"the closure must return the loss as one element, not {loss.NumberOfElements}");
        }

        return loss.ToDouble();
    }

    private Tensor Gradient() =>
        Variable.grad ?? throw new InvalidOperationException("the variable has no gradient: the closure must call backward() on the loss");

    private static Tensor Copy(Tensor t) => t.detach().clone().DetachFromDisposeScope();

    private static void Replace(ref Tensor? field, Tensor? value)
    {
        field?.Dispose();
        field = value;
    }

    private static double MaxAbs(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.abs().max().ToDouble();
    }

    private static double Norm1(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.abs().sum().ToDouble();
    }
}
