using System.Globalization;
using NeuralStyle.Weights.Cache;

namespace NeuralStyle.Cli;

/// <summary>Renders <see cref="DownloadEvent"/>s on standard error: a live line on a terminal, a few plain lines otherwise.</summary>
/// <remarks>Redirected, progress is a line at each quarter of the file (or each 100 MB when its size is unknown), so a log stays short.</remarks>
internal sealed class WeightsProgress(TextWriter error, bool interactive)
{
    private const long UnknownSizeStep = 100_000_000;
    private bool _lineShown;
    private long _nextMark;

    public void Report(DownloadEvent e)
    {
        switch (e)
        {
            case DownloadStarted started:
                _nextMark = 0;
                Line(started.Offset > 0
                    ? $"Resuming {started.Url} at {WeightsText.ExactBytes(started.Offset)}"
                    : $"Downloading {started.Url}");
                break;
            case DownloadProgress progress:
                Progress(progress);
                break;
            case DownloadRetrying retrying:
                Line($"  {retrying.Reason}; resuming at {WeightsText.ExactBytes(retrying.Offset)} in {WeightsText.Seconds(retrying.Delay)} (retry {retrying.Attempt} of {retrying.MaxAttempts})");
                break;
            case DownloadRestarted restarted:
                Line($"  {restarted.Reason}; starting again from byte 0");
                break;
            case DownloadUrlFailed failed:
                Line($"  {failed.Url} failed: {failed.Reason}");
                break;
            case DownloadCompleted completed:
                Line($"  verified: SHA-256 {completed.Digest.Sha256}, {WeightsText.ExactBytes(completed.Digest.Size)}");
                break;
        }
    }

    public void Finish()
    {
        Clear();
        error.Flush();
    }

    private void Progress(DownloadProgress p)
    {
        string percent = p.Total is long t && t > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({100.0 * p.Received / t:0}%)") : string.Empty;
        string of = p.Total is long total ? $" of {WeightsText.Bytes(total)}" : string.Empty;
        string eta = p.Remaining is TimeSpan r ? $", ETA {WeightsText.Clock(r)}" : string.Empty;
        string text = $"  {WeightsText.Bytes(p.Received)}{of}{percent}, {WeightsText.Bytes((long)p.BytesPerSecond)}/s{eta}";
        if (interactive)
        {
            Clear();
            error.Write(text);
            error.Flush();
            _lineShown = true;
            return;
        }

        long step = p.Total is long size && size > 0 ? Math.Max(1, size / 4) : UnknownSizeStep;
        if (_nextMark == 0)
        {
            _nextMark = step;
        }

        if (p.Received >= _nextMark && p.Total != p.Received)
        {
            error.WriteLine(text);
            while (_nextMark <= p.Received)
            {
                _nextMark += step;
            }
        }
    }

    private void Line(string text)
    {
        Clear();
        error.WriteLine(text);
    }

    private void Clear()
    {
        if (_lineShown)
        {
            error.Write("\r\u001b[2K");
            _lineShown = false;
        }
    }
}
