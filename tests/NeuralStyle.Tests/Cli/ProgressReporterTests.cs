using NeuralStyle.Cli;
using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Cli;

public class ProgressReporterTests
{
    [Fact]
    public void OnATerminalABarWithEtaIsDrawnAndErasedAroundTheSeedsLines()
    {
        var error = new StringWriter();
        var reporter = new ProgressReporter(error, interactive: true);
        reporter.Report(new IterationStarted(1, 4, TimeSpan.Zero));
        reporter.Report(new IterationStarted(2, 4, TimeSpan.FromSeconds(2)));
        reporter.Report(new LossesEvaluated(2, new LossBreakdown(1, 2, 3)));
        reporter.Finish();
        string text = error.ToString();

        Assert.Contains("1/4 2.00 s/it ETA 00:06", text);
        // What remains once the terminal has applied the erase sequences is exactly the seed's lines.
        string[] visible = [.. text.Split('\n').Select(l => l.Contains('\r') ? l[(l.LastIndexOf('\r') + 1)..] : l)
            .Select(l => l.Replace("\u001b[2K", "", StringComparison.Ordinal)).Where(l => l.Length > 0)];
        Assert.Equal(["Iteration 1/4", "Iteration 2/4", "  content loss: 1", "  style loss: 2", "  tv loss: 3", "  total loss: 6"], visible);
    }

    [Fact]
    public void RedirectedOutputHasPlainLinesOnly()
    {
        var error = new StringWriter();
        var reporter = new ProgressReporter(error, interactive: false);
        reporter.Report(new IterationStarted(1, 2, TimeSpan.Zero));
        reporter.Report(new IterationStarted(2, 2, TimeSpan.FromSeconds(1)));
        reporter.Finish();
        Assert.Equal($"Iteration 1/2{Environment.NewLine}Iteration 2/2{Environment.NewLine}", error.ToString());
    }
}
