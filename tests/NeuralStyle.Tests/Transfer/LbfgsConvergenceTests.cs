using NeuralStyle.Transfer.Optimizers;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

public class LbfgsConvergenceTests
{
    private const int N = 20;

    [Fact]
    public void QuadraticWithStrongWolfeConvergesWithinAboutNIterations()
    {
        // Condition number 100. With full history and exact line searches L-BFGS on a quadratic is CG and ends in N
        // steps; the Wolfe search accepts unit steps that are not exact, so it takes a few more (21 here).
        using var problem = new LbfgsProblems.Quadratic(N, 1, 100);
        using Tensor x = zeros(N, dtype: ScalarType.Float64).requires_grad_(true);
        using var lbfgs = new Lbfgs(x, new LbfgsOptions(HistorySize: 100, StrongWolfe: true));

        int iterations = RunUntil(lbfgs, () => problem.Loss(x), () => problem.DistanceToMinimiser(x) < 1e-6, limit: 100);

        Assert.InRange(iterations, 1, N + 5);

        // It goes on to the accuracy the loss's rounding allows.
        RunUntil(lbfgs, () => problem.Loss(x), () => problem.DistanceToMinimiser(x) < 1e-8, limit: 20);
    }

    [Fact]
    public void QuadraticWithoutLineSearchConvergesToo()
    {
        using var problem = new LbfgsProblems.Quadratic(N, 1, 100);
        using Tensor x = zeros(N, dtype: ScalarType.Float64).requires_grad_(true);
        using var lbfgs = new Lbfgs(x, new LbfgsOptions(HistorySize: 100));

        // Unit steps throughout (after the first); 35 steps here.
        RunUntil(lbfgs, () => problem.Loss(x), () => problem.DistanceToMinimiser(x) < 1e-8, limit: 100);
    }

    [Fact]
    public void RosenbrockReachesTheMinimumWithStrongWolfe()
    {
        using Tensor x = tensor(new double[] { -1.2, 1 }).requires_grad_(true);
        using var lbfgs = new Lbfgs(x, new LbfgsOptions(StrongWolfe: true));

        // 34 steps and 76 evaluations here.
        RunUntil(lbfgs, () => LbfgsProblems.Rosenbrock(x), () =>
        {
            double[] v = LbfgsProblems.Values(x);
            return Math.Abs(v[0] - 1) < 1e-4 && Math.Abs(v[1] - 1) < 1e-4;
        }, limit: 100);
    }

    [Fact]
    public void FirstStepIsScaledByTheGradientsL1Norm()
    {
        // f = 1/2 |x|^2 at (3, 4): g = (3, 4), |g|_1 = 7, so the first step is -g / 7 and x becomes (3, 4) * 6 / 7.
        using Tensor x = tensor(new double[] { 3, 4 }).requires_grad_(true);
        using var lbfgs = new Lbfgs(x, new LbfgsOptions());

        LbfgsStepResult result = lbfgs.Step(() =>
        {
            Tensor loss = 0.5 * x.dot(x);
            loss.backward();
            return loss;
        });

        Assert.Equal(12.5, result.Loss, 12);
        Assert.Equal(1.0 / 7, result.StepSize, 12);
        Assert.Equal(1, result.FunctionEvaluations);
        Assert.False(result.Converged);
        double[] v = LbfgsProblems.Values(x);
        Assert.Equal(3.0 * 6 / 7, v[0], 12);
        Assert.Equal(4.0 * 6 / 7, v[1], 12);
    }

    [Fact]
    public void ImageShapedFloatTensorKeepsItsShapeAndConverges()
    {
        // A weighted least-squares fit of a 1 x 3 x H x W image, the shape style transfer optimises.
        long[] shape = [1, 3, 6, 10];
        var generator = new TorchSharp.torch.Generator(3);
        using Tensor target = rand(shape, generator: generator);
        using Tensor weights = rand(shape, generator: generator).add_(0.5);
        using Tensor x = zeros(shape).requires_grad_(true);
        var options = new LbfgsOptions(HistorySize: 5);
        using var lbfgs = new Lbfgs(x, options);

        for (int i = 0; i < 40; i++)
        {
            lbfgs.Step(() =>
            {
                Tensor loss = 0.5 * (weights * (x - target).square()).sum();
                loss.backward();
                return loss;
            });
        }

        Assert.Equal(shape, x.shape);
        Assert.Equal(ScalarType.Float32, x.dtype);
        using Tensor error = (x.detach() - target).abs().max();
        Assert.True(error.item<float>() < 1e-4, $"max error {error.item<float>()}");
        Assert.Equal(5, lbfgs.HistoryCount);
        Assert.Equal(((2 * 5) + 2) * 180L * 4, options.EstimateStateBytes(x.NumberOfElements));
    }

    [Fact]
    public void ToleranceGradStopsWithoutMoving()
    {
        using Tensor x = tensor(new double[] { 1e-9, 0 }).requires_grad_(true);
        using var lbfgs = new Lbfgs(x, new LbfgsOptions(ToleranceGrad: 1e-6));

        LbfgsStepResult result = lbfgs.Step(() =>
        {
            Tensor loss = 0.5 * x.dot(x);
            loss.backward();
            return loss;
        });

        Assert.True(result.Converged);
        Assert.Equal(0, result.StepSize);
        Assert.Equal(1e-9, LbfgsProblems.Values(x)[0]);
    }

    // Steps until done() holds; returns the steps taken (fails past the limit).
    private static int RunUntil(Lbfgs lbfgs, Func<Tensor> closure, Func<bool> done, int limit)
    {
        for (int i = 1; i <= limit; i++)
        {
            lbfgs.Step(closure);
            if (done())
            {
                return i;
            }
        }

        Assert.Fail($"not converged in {limit} steps");
        return limit;
    }
}
