using NeuralStyle.Transfer.Optimizers;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

public class LbfgsHistoryTests
{
    [Fact]
    public void HistoryIsCappedAndKeepsTheNewestPairs()
    {
        // On a quadratic every pair has s.y = s^T A s > 0 and y = A s exactly, so the stored pairs are known.
        using var problem = new LbfgsProblems.Quadratic(8, 1, 10);
        using Tensor x = zeros(8, dtype: ScalarType.Float64).requires_grad_(true);
        using var lbfgs = new Lbfgs(x, new LbfgsOptions(HistorySize: 5));
        var points = new List<Tensor> { x.detach().clone() };
        try
        {
            var counts = new List<int>();
            for (int i = 0; i < 10; i++)
            {
                lbfgs.Step(() => problem.Loss(x));
                counts.Add(lbfgs.HistoryCount);
                points.Add(x.detach().clone());
            }

            // The pair of step k is offered at the start of step k + 1.
            Assert.Equal([0, 1, 2, 3, 4, 5, 5, 5, 5, 5], counts);

            // After 10 steps the pairs of steps 1..9 were offered; the newest five (steps 5..9) remain, oldest first.
            using LbfgsState state = lbfgs.ExportState();
            Assert.Equal(5, state.StepDifferences.Count);
            for (int i = 0; i < 5; i++)
            {
                using Tensor s = points[5 + i] - points[4 + i];
                using Tensor y = problem.A.matmul(s);
                Assert.True(state.StepDifferences[i].allclose(s, rtol: 1e-12, atol: 1e-14), $"s[{i}]");
                Assert.True(state.GradientDifferences[i].allclose(y, rtol: 1e-9, atol: 1e-12), $"y[{i}]");
                using Tensor sy = s.dot(y);
                Assert.Equal(1 / sy.item<double>(), state.Rho[i], 1e-9 * state.Rho[i]);
            }
        }
        finally
        {
            points.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public void PairWithNegativeCurvatureIsSkipped()
    {
        // f = cos(x) from x = 0.5: concave until pi / 2, so the first two pairs have s.y < 0 and are refused; the
        // third, across into the convex part, is kept. With no pairs the direction is -g, so the path is known:
        // x1 = x0 + sin(x0) (first step min(1, 1/|g|) = 1 since |g| < 1), x2 = x1 + sin(x1), x3 = x2 + sin(x2).
        using Tensor x = tensor(new double[] { 0.5 }).requires_grad_(true);
        using var lbfgs = new Lbfgs(x, new LbfgsOptions(HistorySize: 5));
        Tensor Cos()
        {
            Tensor loss = x.cos().sum();
            loss.backward();
            return loss;
        }

        double expected = 0.5;
        var counts = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            lbfgs.Step(Cos);
            counts.Add(lbfgs.HistoryCount);
            expected += Math.Sin(expected);
            Assert.Equal(expected, LbfgsProblems.Values(x)[0], 12);
        }

        lbfgs.Step(Cos);
        counts.Add(lbfgs.HistoryCount);

        Assert.Equal([0, 0, 0, 1], counts);
    }
}
