using NeuralStyle.Transfer.Optimizers;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

public class LbfgsBacktrackTests
{
    // f(x) = sum sqrt(1 + x_i^2): convex, but its curvature fades away from 0, so secant pairs from the flanks predict
    // far too long unit steps (a miniature of style transfer started near a coarse optimum).
    private static List<double> Losses(bool restart, int steps, out long restarts, out double finalDistance)
    {
        using Tensor x = tensor(new double[] { 2, -3, 4, 1.5, -2.5 }).requires_grad_(true);
        using var lbfgs = new Lbfgs(x, new LbfgsOptions(HistorySize: 10, BacktrackOnIncrease: restart));
        var losses = new List<double>();
        for (int i = 0; i < steps; i++)
        {
            losses.Add(lbfgs.Step(() =>
            {
                Tensor loss = (x.square() + 1).sqrt().sum();
                loss.backward();
                return loss;
            }).Loss);
        }

        restarts = lbfgs.Backtracks;
        using (no_grad())
        {
            finalDistance = x.abs().max().item<double>();
        }

        return losses;
    }

    [Fact]
    public void WithoutTheGuardUnitStepsRaiseTheLoss()
    {
        List<double> losses = Losses(restart: false, 12, out long restarts, out _);
        Assert.Equal(0, restarts);
        Assert.Contains(Enumerable.Range(1, losses.Count - 1), i => losses[i] > losses[i - 1] * 1.5);
    }

    [Fact]
    public void WithTheGuardEveryRiseIsUndoneAtOnceAndTheMinimumIsReached()
    {
        List<double> losses = Losses(restart: true, 60, out long restarts, out double distance);
        Assert.True(restarts > 0, "the guard never acted on a problem that needs it");
        // A rise is evaluated once (nothing can tell before), and the shorter retry is always lower.
        for (int i = 1; i < losses.Count - 1; i++)
        {
            if (losses[i] > losses[i - 1] * 1.01)
            {
                Assert.True(losses[i + 1] < losses[i], $"no recovery after the rise at step {i}: {losses[i - 1]} -> {losses[i]} -> {losses[i + 1]}");
            }
        }

        Assert.True(distance < 1e-6, $"max |x| = {distance}");
    }
}
