using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Transfer;

public class MultiScaleScheduleTests
{
    [Fact]
    public void SizesGrowGeometricallyAndCoarserScalesGetTheirOwnIterations()
    {
        IReadOnlyList<ScaleStep> plan = MultiScaleSchedule.Plan(512, 384, 4, 128, 100, 30);
        // Long side 128 -> 202 -> 323 -> 512 (ratio 4^(1/3)), keeping the aspect.
        Assert.Equal([(128, 96), (203, 152), (323, 242), (512, 384)], plan.Select(p => (p.Width, p.Height)));
        Assert.Equal([30, 30, 30, 100], plan.Select(p => p.Iterations));
    }

    [Fact]
    public void Non_positive_arguments_are_refused()
    {
        Assert.Throws<ArgumentException>(() => MultiScaleSchedule.Plan(512, 384, 3, 128, 100, 0));
        Assert.Throws<ArgumentException>(() => MultiScaleSchedule.Plan(512, 384, 0, 128, 100, 10));
    }

    [Fact]
    public void OneScaleOrAMinimumAboveTheSizeIsTheSeedsSingleScale()
    {
        Assert.Equal([new ScaleStep(300, 200, 50)], MultiScaleSchedule.Plan(300, 200, 1, 128, 50, 10));
        Assert.Equal([new ScaleStep(100, 80, 50)], MultiScaleSchedule.Plan(100, 80, 3, 128, 50, 10));
    }
}
