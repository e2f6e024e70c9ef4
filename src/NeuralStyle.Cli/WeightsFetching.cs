using NeuralStyle.Weights.Cache;

namespace NeuralStyle.Cli;

/// <summary>Runs a download with its progress on standard error and Ctrl-C turned into a clean stop that keeps the partial file.</summary>
internal static class WeightsFetching
{
    /// <summary>Runs <paramref name="fetch"/> to its end.</summary>
    /// <exception cref="WeightsDownloadException">The download failed, or was interrupted (the partial file is kept; the message says where).</exception>
    public static FetchResult Run(WeightsCache cache, Func<Action<DownloadEvent>, CancellationToken, Task<FetchResult>> fetch, TextWriter error, bool interactive)
    {
        var progress = new WeightsProgress(error, interactive);
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler? onCancel = null;
        if (interactive)
        {
            // Only on a terminal, where a Ctrl-C is the user's: the download stops, the partial file stays for a resume.
            onCancel = (_, e) =>
            {
                e.Cancel = true;
                cancellation.Cancel();
            };
            Console.CancelKeyPress += onCancel;
        }

        try
        {
            return fetch(progress.Report, cancellation.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException e)
        {
            throw new WeightsDownloadException($"interrupted; the partial download stays in {cache.Locations.PartialDirectory} and the next fetch resumes it", e);
        }
        finally
        {
            if (onCancel is not null)
            {
                Console.CancelKeyPress -= onCancel;
            }

            progress.Finish();
        }
    }
}
