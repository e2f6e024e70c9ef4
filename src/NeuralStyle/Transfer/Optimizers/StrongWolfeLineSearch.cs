namespace NeuralStyle.Transfer.Optimizers;

/// <summary>A step length satisfying the strong Wolfe conditions along one direction (Nocedal and Wright, algorithms 3.5 and 3.6).</summary>
/// <remarks>
/// Works on phi(t) = f(x0 + t d) alone: the caller evaluates it and its slope phi'(t) = g(x0 + t d) . d, so this file is
/// plain arithmetic. The interpolation safeguards follow torch.optim.LBFGS's _strong_wolfe, whose behaviour users know.
/// </remarks>
internal static class StrongWolfeLineSearch
{
    /// <summary>c1: the step must decrease f by at least this fraction of what the slope at 0 promises.</summary>
    internal const double SufficientDecrease = 1e-4;

    /// <summary>c2: the slope at the step must have shrunk to at most this fraction of the slope at 0.</summary>
    internal const double Curvature = 0.9;

    /// <summary>Most evaluations of phi per search (each one is a forward and backward pass).</summary>
    internal const int MaxEvaluations = 25;

    // Stop zooming once the bracket moves the variable by less than this in every element: nothing finer is visible.
    private const double MinBracketChange = 1e-9;

    /// <summary>Searches from <paramref name="initialStep"/>; returns the best step found, its phi and the evaluations spent.</summary>
    /// <param name="phi">Evaluates (phi(t), phi'(t)).</param>
    /// <param name="loss0">phi(0).</param>
    /// <param name="slope0">phi'(0), negative for a descent direction.</param>
    /// <param name="initialStep">First trial.</param>
    /// <param name="directionMaxAbs">max |d|, to turn bracket widths into changes of the variable.</param>
    public static Result Search(
        Func<double, (double Loss, double Slope)> phi, double loss0, double slope0, double initialStep, double directionMaxAbs)
    {
        var origin = new Probe(0, loss0, slope0);
        int evaluations = 0;
        Probe Evaluate(double t)
        {
            evaluations++;
            (double f, double g) = phi(t);
            return new Probe(t, f, g);
        }

        bool Decreases(Probe p) => double.IsFinite(p.Loss) && p.Loss <= loss0 + (SufficientDecrease * p.Step * slope0);
        bool Flat(Probe p) => Math.Abs(p.Slope) <= -Curvature * slope0;

        // Bracketing: grow the step until an interval surely holds a Wolfe point, or a trial is one.
        Probe previous = origin;
        Probe current = Evaluate(initialStep);
        Probe low, high;
        while (true)
        {
            if (!Decreases(current) || (previous.Step > 0 && current.Loss >= previous.Loss))
            {
                (low, high) = (previous, current);
                break;
            }

            if (Flat(current))
            {
                return current.ToResult(evaluations);
            }

            if (current.Slope >= 0)
            {
                (low, high) = (current, previous);
                break;
            }

            if (evaluations >= MaxEvaluations)
            {
                // Still going downhill: current decreases f enough, only the curvature condition is unmet.
                return current.ToResult(evaluations);
            }

            // Extrapolate, at least a little beyond current and at most ten times as far.
            double next = Cubic(previous, current, current.Step + (0.01 * (current.Step - previous.Step)), current.Step * 10);
            previous = current;
            current = Evaluate(next);
        }

        // Zoom: shrink [low, high] keeping low the best point that decreases f enough.
        bool insufficientProgress = false;
        while (evaluations < MaxEvaluations)
        {
            double min = Math.Min(low.Step, high.Step), max = Math.Max(low.Step, high.Step);
            if ((max - min) * directionMaxAbs < MinBracketChange)
            {
                break;
            }

            double t = Cubic(low, high, min, max);

            // Interpolation can creep along one end of the bracket; after two such steps in a row, or one on the end
            // itself, move a tenth of the width inside so the bracket keeps shrinking.
            double margin = 0.1 * (max - min);
            if (Math.Min(max - t, t - min) < margin)
            {
                if (insufficientProgress || t >= max || t <= min)
                {
                    t = Math.Abs(t - max) < Math.Abs(t - min) ? max - margin : min + margin;
                    insufficientProgress = false;
                }
                else
                {
                    insufficientProgress = true;
                }
            }
            else
            {
                insufficientProgress = false;
            }

            Probe trial = Evaluate(t);
            if (!Decreases(trial) || trial.Loss >= low.Loss)
            {
                high = trial;
            }
            else
            {
                if (Flat(trial))
                {
                    return trial.ToResult(evaluations);
                }

                if (trial.Slope * (high.Step - low.Step) >= 0)
                {
                    high = low;
                }

                low = trial;
            }
        }

        // Out of evaluations (or the bracket collapsed): the best point that decreases f, possibly 0 (no move).
        return low.ToResult(evaluations);
    }

    /// <summary>The minimiser of the cubic through two points with their slopes, clamped to [min, max].</summary>
    internal static double Cubic(Probe a, Probe b, double min, double max)
    {
        double d1 = a.Slope + b.Slope - (3 * (a.Loss - b.Loss) / (a.Step - b.Step));
        double d2Square = (d1 * d1) - (a.Slope * b.Slope);
        if (d2Square >= 0)
        {
            double d2 = Math.Sqrt(d2Square);
            double t = a.Step <= b.Step
                ? b.Step - ((b.Step - a.Step) * ((b.Slope + d2 - d1) / (b.Slope - a.Slope + (2 * d2))))
                : a.Step - ((a.Step - b.Step) * ((a.Slope + d2 - d1) / (a.Slope - b.Slope + (2 * d2))));

            // Degenerate data (equal steps, a zero denominator) gives NaN or infinity: fall back to bisection.
            if (double.IsFinite(t))
            {
                return Math.Min(Math.Max(t, min), max);
            }
        }

        // No real minimiser (the cubic has no turning point): bisect.
        return (min + max) / 2;
    }

    /// <summary>phi and its slope at one step length.</summary>
    internal readonly record struct Probe(double Step, double Loss, double Slope)
    {
        public Result ToResult(int evaluations) => new(Step, Loss, evaluations);
    }

    /// <summary>The step length chosen, phi there, and the evaluations it took.</summary>
    internal readonly record struct Result(double Step, double Loss, int Evaluations);
}
