using NeuralStyle.Transfer.Optimizers;
using Xunit;

namespace NeuralStyle.Tests.Transfer;

public class LbfgsLineSearchTests
{
    [Fact]
    public void CubicInterpolationIsExactOnAQuadratic()
    {
        // phi(t) = (t - 2)^2: at 0 (4, -4), at 1 (1, -2); the cubic through them is phi itself, minimal at 2.
        var a = new StrongWolfeLineSearch.Probe(0, 4, -4);
        var b = new StrongWolfeLineSearch.Probe(1, 1, -2);
        Assert.Equal(2, StrongWolfeLineSearch.Cubic(a, b, 0, 10), 12);
        Assert.Equal(2, StrongWolfeLineSearch.Cubic(b, a, 0, 10), 12);
        Assert.Equal(1.5, StrongWolfeLineSearch.Cubic(a, b, 0, 1.5), 12);
    }

    [Fact]
    public void AcceptsTheFirstTrialWhenItSatisfiesBothConditions()
    {
        // phi(t) = (t - 3)^2 - 9: at t = 1 phi = -5 (enough decrease) and |phi'| = 4 <= 0.9 * 6.
        StrongWolfeLineSearch.Result result = StrongWolfeLineSearch.Search(Phi, 0, -6, 1, 1);
        Assert.Equal(1, result.Step);
        Assert.Equal(-5, result.Loss);
        Assert.Equal(1, result.Evaluations);
    }

    [Fact]
    public void ZoomsFromATooLongStepToTheMinimum()
    {
        // At t = 10 phi = 40 > 0: bracket [0, 10]; the cubic through its ends is phi, so the next trial is 3 exactly.
        StrongWolfeLineSearch.Result result = StrongWolfeLineSearch.Search(Phi, 0, -6, 10, 1);
        Assert.Equal(3, result.Step, 12);
        Assert.Equal(-9, result.Loss, 12);
        Assert.Equal(2, result.Evaluations);
    }

    [Fact]
    public void ExtrapolatesFromATooShortStep()
    {
        // At t = 0.1 the slope is still -5.8 (curvature condition unmet). The cubic's minimum is 3, but extrapolation
        // goes at most 10 times as far: t = 1, where both conditions hold.
        StrongWolfeLineSearch.Result result = StrongWolfeLineSearch.Search(Phi, 0, -6, 0.1, 1);
        Assert.Equal(1, result.Step, 12);
        Assert.Equal(2, result.Evaluations);
    }

    [Fact]
    public void StaysPutWhenNothingDecreases()
    {
        // A "descent" direction along which phi only grows (a wrong slope): every trial fails, the bracket collapses
        // towards 0 and the search returns 0 within its evaluation budget.
        StrongWolfeLineSearch.Result result = StrongWolfeLineSearch.Search(t => ((t * t) + t, (2 * t) + 1), 0, -1, 1, 1);
        Assert.Equal(0, result.Step);
        Assert.InRange(result.Evaluations, 1, StrongWolfeLineSearch.MaxEvaluations);
    }

    private static (double Loss, double Slope) Phi(double t) => (((t - 3) * (t - 3)) - 9, 2 * (t - 3));
}
