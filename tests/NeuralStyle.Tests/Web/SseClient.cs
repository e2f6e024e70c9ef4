using System.Text.Json;

namespace NeuralStyle.Tests.Web;

/// <summary>Reads a server-sent event stream as a browser's EventSource does: <c>event:</c> and <c>data:</c> lines, a blank line ends each event.</summary>
internal sealed class SseClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Stream _stream;
    private readonly StreamReader _reader;

    private SseClient(HttpClient http, Stream stream)
    {
        _http = http;
        _stream = stream;
        _reader = new StreamReader(stream);
    }

    public static async Task<SseClient> OpenAsync(Uri address)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
        HttpResponseMessage response = await http.GetAsync("events", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            throw new InvalidDataException($"/events answered {response.Content.Headers.ContentType}");
        }

        return new SseClient(http, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event, or null when the server ended the stream; fails after <paramref name="timeout"/>.</summary>
    public async Task<(string Name, JsonElement Data)?> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        string? name = null, data = null;
        while (await _reader.ReadLineAsync(cancel.Token) is string line)
        {
            if (line.Length == 0 && name is not null)
            {
                return (name, JsonDocument.Parse(data ?? "null").RootElement.Clone());
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
        }

        return null;
    }

    /// <summary>Reads until an event named <paramref name="name"/> that satisfies <paramref name="match"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            (string Name, JsonElement Data)? e = await NextAsync(deadline - DateTime.UtcNow)
                ?? throw new InvalidDataException($"the stream ended before a '{name}' event");
            if (e.Value.Name == name && (match is null || match(e.Value.Data)))
            {
                return e.Value.Data;
            }
        }

        throw new TimeoutException($"no '{name}' event in time");
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _http.Dispose();
    }
}
