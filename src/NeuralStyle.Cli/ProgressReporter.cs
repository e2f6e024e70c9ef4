using NeuralStyle.Transfer;

namespace NeuralStyle.Cli;

/// <summary>Renders engine events as the seed's console lines, plus a progress bar with ETA on a terminal.</summary>
/// <remarks>
/// The seed's lines are the interface scripts parse, so they are always written unchanged. The bar lives on its own
/// line that is erased before each seed line and redrawn after it, and is drawn only when the stream is a terminal.
/// </remarks>
internal sealed class ProgressReporter(TextWriter error, bool interactive)
{
    private const int BarWidth = 30;
    private bool _barShown;

    public void Report(TransferEvent e)
    {
        switch (e)
        {
            case IterationStarted started:
                Line($"Iteration {started.Iteration}/{started.Total}");
                Bar(started);
                break;
            case LossesEvaluated evaluated:
                Line($"  content loss: {CFormat.G(evaluated.Losses.Content)}");
                Line($"  style loss: {CFormat.G(evaluated.Losses.Style)}");
                Line($"  tv loss: {CFormat.G(evaluated.Losses.TotalVariation)}");
                Line($"  total loss: {CFormat.G(evaluated.Losses.Total)}");
                break;
        }
    }

    public void Finish()
    {
        ClearBar();
        error.Flush();
    }

    public void Line(string text)
    {
        ClearBar();
        error.WriteLine(text);
    }

    private void Bar(IterationStarted started)
    {
        if (!interactive)
        {
            return;
        }

        int done = started.Iteration - 1;
        double fraction = (double)done / started.Total;
        int filled = (int)Math.Round(fraction * BarWidth);
        string eta = done == 0
            ? "--:--"
            : Clock(TimeSpan.FromSeconds(started.Elapsed.TotalSeconds / done * (started.Total - done)));
        string perIteration = done == 0 ? "" : $" {started.Elapsed.TotalSeconds / done:0.00} s/it";
        error.Write($"[{new string('#', filled)}{new string('-', BarWidth - filled)}] {done}/{started.Total}{perIteration} ETA {eta}");
        error.Flush();
        _barShown = true;
    }

    private void ClearBar()
    {
        if (_barShown)
        {
            error.Write("\r\u001b[2K");
            _barShown = false;
        }
    }

    private static string Clock(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes:00}:{t.Seconds:00}";
}
