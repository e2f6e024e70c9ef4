using NeuralStyle.Transfer.Optimizers;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

public class LbfgsStateTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ExportedStateResumesTheSameTrajectory(bool strongWolfe)
    {
        // History 3 so that pairs are dropped both before and after the checkpoint; float32 as in style transfer.
        var options = new LbfgsOptions(HistorySize: 3, StrongWolfe: strongWolfe);

        using Tensor straight = Start();
        using (var lbfgs = new Lbfgs(straight, options))
        {
            for (int i = 0; i < 10; i++)
            {
                lbfgs.Step(() => LbfgsProblems.Rosenbrock(straight));
            }
        }

        using Tensor resumed = Start();
        LbfgsState state;
        using (var first = new Lbfgs(resumed, options))
        {
            for (int i = 0; i < 5; i++)
            {
                first.Step(() => LbfgsProblems.Rosenbrock(resumed));
            }

            state = first.ExportState();
        }

        long evaluations;
        using (state)
        using (var second = new Lbfgs(resumed, options))
        {
            second.ImportState(state);
            Assert.Equal(3, second.HistoryCount);
            Assert.Equal(5, second.Iterations);
            for (int i = 0; i < 5; i++)
            {
                second.Step(() => LbfgsProblems.Rosenbrock(resumed));
            }

            evaluations = second.FunctionEvaluations;
        }

        Assert.Equal(straight.data<float>().ToArray(), resumed.data<float>().ToArray());
        Assert.True(evaluations >= 10);
    }

    [Fact]
    public void StateSurvivesTheCallersDisposeScopes()
    {
        // Style transfer steps inside a dispose scope per iteration; the optimiser's buffers must not belong to it.
        var options = new LbfgsOptions(HistorySize: 3, StrongWolfe: true);
        using Tensor plain = Start();
        using Tensor scoped = Start();
        using var a = new Lbfgs(plain, options);
        using var b = new Lbfgs(scoped, options);
        for (int i = 0; i < 8; i++)
        {
            a.Step(() => LbfgsProblems.Rosenbrock(plain));
            using var scope = NewDisposeScope();
            b.Step(() => LbfgsProblems.Rosenbrock(scoped));
        }

        Assert.Equal(3, b.HistoryCount);
        Assert.Equal(plain.data<float>().ToArray(), scoped.data<float>().ToArray());
    }

    [Fact]
    public void ImportRejectsAStateOfAnotherShape()
    {
        using Tensor small = tensor(new float[] { -1.2f, 1 }).requires_grad_(true);
        using var lbfgs = new Lbfgs(small, new LbfgsOptions());
        lbfgs.Step(() => LbfgsProblems.Rosenbrock(small));
        lbfgs.Step(() => LbfgsProblems.Rosenbrock(small));
        using LbfgsState state = lbfgs.ExportState();

        using Tensor big = zeros(3).requires_grad_(true);
        using var other = new Lbfgs(big, new LbfgsOptions());
        Assert.Throws<ArgumentException>(() => other.ImportState(state));
    }

    private static Tensor Start() => tensor(new float[] { -1.2f, 1 }).requires_grad_(true);
}
