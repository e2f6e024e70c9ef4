using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Diagnostics;

namespace NeuralStyle.Weights.Cache;

/// <summary>
/// Downloads one URL into a <see cref="PartialDownload"/>: resumes what the file holds with <c>Range: bytes=N-</c>,
/// resumes again after a cut connection (a few times, with back-off), starts again from 0 when the server does not
/// honour the range, follows redirects, and gives up on a connection that sends nothing for the stall timeout.
/// </summary>
internal sealed class WeightsDownloader : IDisposable
{
    private const int BufferSize = 1 << 16;
    private readonly DownloadOptions _options;
    private readonly Action<DownloadEvent> _report;
    private readonly HttpClient _client;

    public WeightsDownloader(DownloadOptions options, Action<DownloadEvent> report)
    {
        _options = options;
        _report = report;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 10,
            AutomaticDecompression = DecompressionMethods.None,
        };
        // The stall timeout bounds every wait; HttpClient's own timeout would bound the whole 550 MB transfer.
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("neural-style", "1.0"));
    }

    /// <summary>Fills <paramref name="partial"/> with the whole body of <paramref name="url"/>.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="partial">The partial file, possibly holding the start of the body already.</param>
    /// <param name="size">The published size, when known: a server offering another size serves another file.</param>
    /// <param name="cancellation">Stops the download; the partial file is kept for a resume.</param>
    /// <exception cref="UrlFailure">This URL cannot give the file.</exception>
    /// <exception cref="PartialWriteException">The partial file cannot be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled.</exception>
    public async Task DownloadAsync(string url, PartialDownload partial, long? size, CancellationToken cancellation)
    {
        if (size is long whole && partial.Length == whole)
        {
            // An earlier run stopped between the last byte and the rename: the hash decides, no request needed.
            return;
        }

        int failures = 0;
        bool useRange = true;
        while (true)
        {
            long before = partial.Length;
            try
            {
                await AttemptAsync(url, partial, size, useRange, cancellation).ConfigureAwait(false);
                return;
            }
            catch (RestartFailure restart)
            {
                _report(new DownloadRestarted(url, restart.Message));
                partial.Restart();
                useRange = false;
                if (++failures > _options.Retries)
                {
                    throw new UrlFailure(restart.Message);
                }
            }
            catch (TransientFailure transient)
            {
                // A connection that made progress (or was cut rather than silent) is worth resuming; one that stalled
                // without a byte would stall again.
                bool progressed = partial.Length > before;
                if (++failures > _options.Retries || (transient.Stall && !progressed))
                {
                    throw new UrlFailure(transient.Message, transient);
                }

                TimeSpan delay = _options.RetryDelay * Math.Pow(2, failures - 1);
                _report(new DownloadRetrying(url, partial.Length, transient.Message, failures, _options.Retries, delay));
                await Task.Delay(delay, cancellation).ConfigureAwait(false);
                useRange = true;
            }
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task AttemptAsync(string url, PartialDownload partial, long? size, bool useRange, CancellationToken cancellation)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        long offset = useRange ? partial.Length : 0;
        if (offset == 0 && partial.Length > 0)
        {
            partial.Restart();
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (offset > 0)
        {
            request.Headers.Range = new RangeHeaderValue(offset, null);
        }

        _report(new DownloadStarted(url, offset, partial.Path));
        stall.CancelAfter(_options.StallTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or AuthenticationException)
        {
            throw Classify(e, url, stall, cancellation, partial.Length);
        }

        using (response)
        {
            (long? total, long skip) = Accept(response, url, offset, partial);
            if (total is long announced && size is long expected && announced != expected)
            {
                throw new UrlFailure(string.Create(CultureInfo.InvariantCulture, $"the server offers {announced:N0} bytes, expected {expected:N0} (another file?)"));
            }

            await CopyAsync(response, url, partial, total ?? size, skip, stall, cancellation).ConfigureAwait(false);
        }
    }

    // What the answer means for the partial file: the file's total size when known, and how many leading bytes of
    // the body the file already has (a range that starts before the offset asked for).
    private (long? Total, long Skip) Accept(HttpResponseMessage response, string url, long offset, PartialDownload partial)
    {
        int status = (int)response.StatusCode;
        ContentRangeHeaderValue? range = response.Content.Headers.ContentRange;
        if (status == 206)
        {
            long from = range?.From ?? -1;
            if (from < 0 || from > offset)
            {
                throw new RestartFailure(string.Create(CultureInfo.InvariantCulture, $"the server sent a range from byte {(from < 0 ? "?" : from)}, asked for {offset}"));
            }

            return (range?.Length, offset - from);
        }

        if (status == 200)
        {
            if (offset > 0)
            {
                _report(new DownloadRestarted(url, "the server does not resume (it answered the range request with the whole file)"));
                partial.Restart();
            }

            return (response.Content.Headers.ContentLength, 0);
        }

        if (status == 416 && offset > 0)
        {
            // The partial file may already be whole (an earlier run stopped between the last byte and the rename).
            return range?.Length == offset ? (offset, long.MaxValue) : throw new RestartFailure("the server refused the range (HTTP 416)");
        }

        if (status is >= 300 and < 400 && response.Headers.Location is { } location)
        {
            // HttpClient follows redirects, except from HTTPS to HTTP (left to the caller on purpose) and beyond ten.
            throw new UrlFailure($"HTTP {status} {response.ReasonPhrase}: the redirect to {location} was not followed (from HTTPS to HTTP, or after too many redirects); pass that URL with --mirror to use it (its hash is checked either way)");
        }

        throw new UrlFailure($"HTTP {status} {response.ReasonPhrase}".TrimEnd());
    }

    private async Task CopyAsync(HttpResponseMessage response, string url, PartialDownload partial, long? total, long skip, CancellationTokenSource stall, CancellationToken cancellation)
    {
        if (skip == long.MaxValue)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        long start = partial.Length;
        TimeSpan? lastReport = null;
        byte[] buffer = new byte[BufferSize];
        try
        {
            stall.CancelAfter(_options.StallTimeout);
            using Stream body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
            while (true)
            {
                stall.CancelAfter(_options.StallTimeout);
                int read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                int drop = (int)Math.Min(skip, read);
                skip -= drop;
                partial.Append(buffer.AsSpan(drop, read - drop));
                if (total is long limit && partial.Length > limit)
                {
                    throw new UrlFailure(string.Create(CultureInfo.InvariantCulture, $"the server sent more than the {limit:N0} bytes announced"));
                }

                if (lastReport is not TimeSpan last || clock.Elapsed - last >= _options.ProgressInterval)
                {
                    lastReport = clock.Elapsed;
                    Progress(url, partial.Length, start, total, clock.Elapsed);
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or AuthenticationException || (e is IOException && e is not PartialWriteException))
        {
            throw Classify(e, url, stall, cancellation, partial.Length);
        }

        Progress(url, partial.Length, start, total, clock.Elapsed);
        if (total is long whole && partial.Length < whole)
        {
            throw new TransientFailure(string.Create(CultureInfo.InvariantCulture, $"the connection closed at {partial.Length:N0} of {whole:N0} bytes"));
        }
    }

    private void Progress(string url, long received, long start, long? total, TimeSpan elapsed)
    {
        double rate = elapsed.TotalSeconds > 0 ? (received - start) / elapsed.TotalSeconds : 0;
        TimeSpan? remaining = total is long t && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, t - received) / rate) : null;
        _report(new DownloadProgress(url, received, total, rate, remaining));
    }

    // One brief reason for a failed request or read, and whether another attempt may cure it.
    private Exception Classify(Exception e, string url, CancellationTokenSource stall, CancellationToken cancellation, long received)
    {
        if (cancellation.IsCancellationRequested)
        {
            return new OperationCanceledException(cancellation);
        }

        string host = Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) ? uri.Host : url;
        if (Find<AuthenticationException>(e) is { } tls)
        {
            return new UrlFailure($"TLS error: {OneLine(tls.Message)}", e);
        }

        if (e is OperationCanceledException)
        {
            if (Find<TimeoutException>(e) is not null && !stall.IsCancellationRequested)
            {
                return new UrlFailure(string.Create(CultureInfo.InvariantCulture, $"connection timed out after {_options.ConnectTimeout.TotalSeconds:0.#} s"), e);
            }

            return new TransientFailure(string.Create(CultureInfo.InvariantCulture, $"timed out: no data for {_options.StallTimeout.TotalSeconds:0.#} s (at {received:N0} bytes)"), stall: true, e);
        }

        if (e is HttpRequestException request)
        {
            SocketException? socket = Find<SocketException>(e);
            switch (request.HttpRequestError)
            {
                case HttpRequestError.NameResolutionError:
                    return new UrlFailure($"name not resolved: {host}", e);
                case HttpRequestError.SecureConnectionError:
                    return new UrlFailure($"TLS error: {OneLine(e.Message)}", e);
                case HttpRequestError.ConnectionError when socket?.SocketErrorCode == SocketError.ConnectionRefused:
                    return new UrlFailure("connection refused", e);
                case HttpRequestError.ConnectionError when socket?.SocketErrorCode is SocketError.HostUnreachable or SocketError.NetworkUnreachable:
                    return new UrlFailure($"host unreachable: {host}", e);
            }
        }

        return new TransientFailure(string.Create(CultureInfo.InvariantCulture, $"connection cut at {received:N0} bytes ({OneLine(e.Message)})"), stall: false, e);
    }

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string OneLine(string message) => MessageText.OneLine(message.Split('\n', 2)[0].Trim());
}
