using NeuralStyle.Jobs;
using NeuralStyle.Plotting;
using Xunit;

namespace NeuralStyle.Tests.Plotting;

public sealed class LossSegmentsTests
{
    private static readonly LossTerm Content = LossTerm.All[0];

    private static LossPoint P(int scale, int iteration, double seconds, double content = 100) =>
        new(scale, iteration, seconds, content, 50, 5, content + 55);

    [Fact]
    public void Each_scale_follows_the_previous_one_on_the_iteration_axis_and_its_lines_are_separate()
    {
        LossPoint[] points = [P(1, 1, 0.1), P(1, 2, 0.2), P(1, 3, 0.3), P(2, 1, 1.0), P(2, 2, 1.5), P(3, 1, 4), P(3, 2, 5), P(3, 3, 6), P(3, 4, 7)];
        var layout = new LossSegments(points);

        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7, 8, 9], layout.IterationAxis);
        Assert.Equal([new ScaleStart(2, 4, 1.0), new ScaleStart(3, 6, 4)], layout.Starts);
        LossSegment[] byIteration = [.. layout.Of(Content, bySeconds: false)];
        Assert.Equal([1, 2, 3], byIteration.Select(s => s.Scale));
        Assert.Equal([[1.0, 2, 3], [4.0, 5], [6.0, 7, 8, 9]], byIteration.Select(s => s.X));
        Assert.Equal([0.1, 0.2, 0.3], layout.Of(Content, bySeconds: true).First().X);
        Assert.All(byIteration.SelectMany(s => s.Log10Loss), y => Assert.Equal(2, y, 12));
    }

    [Fact]
    public void A_run_resumed_in_its_last_scale_keeps_its_iteration_numbers()
    {
        var layout = new LossSegments([P(3, 201, 1), P(3, 202, 2), P(3, 203, 3)]);

        Assert.Equal([201.0, 202, 203], layout.IterationAxis);
        Assert.Empty(layout.Starts);
    }

    [Fact]
    public void Values_a_log_scale_cannot_show_break_the_line_and_stay_out_of_the_range()
    {
        var layout = new LossSegments([P(1, 1, 1, 0), P(1, 2, 2, 300), P(1, 3, 3, double.NaN), P(1, 4, 4, 200), P(1, 5, 5, -1), P(1, 6, 6, 100), P(1, 7, 7, double.PositiveInfinity)]);

        Assert.Equal([[2.0], [4.0], [6.0]], layout.Of(Content, bySeconds: false).Select(s => s.X));
        Assert.Equal((5, 355), layout.Range());
        Assert.Null(new LossSegments([]).Range());
        Assert.Null(new LossSegments([new LossPoint(1, 1, 0, 0, 0, 0, 0)]).Range());
    }

    [Fact]
    public void A_near_zero_start_does_not_stretch_the_scale_but_a_whole_small_term_does()
    {
        // Starting from the content image: the first content loss is a rounding error, the others are thousands.
        var nearZeroStart = new LossSegments([.. Enumerable.Range(1, 100).Select(i => P(1, i, i, i == 1 ? 1e-8 : 1000 + i))]);
        (double min, double max) = nearZeroStart.Range()!.Value;
        Assert.Equal(1155, max);
        Assert.InRange(min, 0.4, 5.1);

        // A term ten thousand times smaller than the rest, all along: it is a quarter of the values and is kept.
        var smallTerm = new LossSegments([.. Enumerable.Range(1, 100).Select(i => new LossPoint(1, i, i, 1000, 2000, 0.01, 3000.01))]);
        Assert.Equal(0.01, smallTerm.Range()!.Value.Min);
    }

    [Theory]
    [InlineData(15000, "15,000")]
    [InlineData(1000, "1,000")]
    [InlineData(500, "500")]
    [InlineData(0.05, "0.05")]
    [InlineData(1e6, "1e6")]
    [InlineData(2.5e7, "2.5e7")]
    [InlineData(1e-4, "1e-4")]
    public void Log_axis_labels_read_as_numbers(double value, string label) => Assert.Equal(label, LogTicks.Label(value));

    [Fact]
    public void A_narrow_range_still_gets_several_labelled_ticks()
    {
        string[] labels = [.. LogTicks.Of(3000, 9000).Where(t => t.IsMajor).Select(t => t.Label)];
        Assert.Contains("3,000", labels);
        Assert.Contains("5,000", labels);
        Assert.True(labels.Length >= 4, string.Join(" ", labels));
        Assert.Equal(["1", "10", "100", "1,000", "10,000", "100,000", "1e6"], LogTicks.Of(1, 1e6).Where(t => t.IsMajor).Select(t => t.Label));
    }
}
