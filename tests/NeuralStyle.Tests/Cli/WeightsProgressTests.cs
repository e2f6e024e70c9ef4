using NeuralStyle.Cli;
using NeuralStyle.Weights.Cache;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>Download progress on standard error: a live line on a terminal, a line per quarter otherwise.</summary>
public class WeightsProgressTests
{
    private const string Url = "http://127.0.0.1/w.pth";

    private static string Render(bool interactive)
    {
        var error = new StringWriter();
        var progress = new WeightsProgress(error, interactive);
        progress.Report(new DownloadStarted(Url, 0, "/cache/partial/w.pth.partial"));
        for (long received = 10_000_000; received <= 100_000_000; received += 10_000_000)
        {
            progress.Report(new DownloadProgress(Url, received, 100_000_000, 5_000_000, TimeSpan.FromSeconds((100_000_000 - received) / 5_000_000)));
        }

        progress.Report(new DownloadCompleted(Url, "/cache/w.pth", new FileDigest(100_000_000, "ab")));
        progress.Finish();
        return error.ToString();
    }

    [Fact]
    public void RedirectedOutputGetsALinePerQuarter()
    {
        string[] lines = Render(interactive: false).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                $"Downloading {Url}",
                "  30.0 MB of 100.0 MB (30%), 5.0 MB/s, ETA 00:14",
                "  50.0 MB of 100.0 MB (50%), 5.0 MB/s, ETA 00:10",
                "  80.0 MB of 100.0 MB (80%), 5.0 MB/s, ETA 00:04",
                "  verified: SHA-256 ab, 100,000,000 bytes",
            ],
            lines);
    }

    [Fact]
    public void ATerminalGetsOneLiveLineErasedBeforeTheNextLine()
    {
        string text = Render(interactive: true);
        Assert.Equal(10, text.Split("\r\u001b[2K").Length - 1);
        Assert.Contains("  100.0 MB of 100.0 MB (100%), 5.0 MB/s, ETA 00:00\r\u001b[2K  verified:", text, StringComparison.Ordinal);
    }
}
