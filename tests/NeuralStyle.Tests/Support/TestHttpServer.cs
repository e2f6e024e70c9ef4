using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace NeuralStyle.Tests.Support;

/// <summary>A request the <see cref="TestHttpServer"/> received.</summary>
public sealed record TestRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>N of a <c>Range: bytes=N-</c> header, or null.</summary>
    public long? RangeStart =>
        Headers.TryGetValue("range", out string? range) && range.StartsWith("bytes=", StringComparison.Ordinal) && long.TryParse(range[6..].TrimEnd('-'), out long n) ? n : null;
}

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 for the download tests, on a raw <see cref="TcpListener"/>: unlike HttpListener
/// it can cut a connection in the middle of a body, stall after the headers, send a wrong Content-Range, and speak TLS
/// with a self-signed certificate (through <see cref="SslStream"/>) without any system configuration. Every response
/// closes its connection. The handler writes the whole response itself (see the helpers).
/// </summary>
public sealed class TestHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<TestRequest, Stream, CancellationToken, Task> _handler;
    private readonly X509Certificate2? _certificate;
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly Task _accepting;

    public TestHttpServer(Func<TestRequest, Stream, CancellationToken, Task> handler, X509Certificate2? certificate = null)
    {
        _handler = handler;
        _certificate = certificate;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public ConcurrentQueue<TestRequest> Requests { get; } = new();

    /// <summary>Body bytes the helpers sent, over all requests.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    private long _bytesSent;

    public string Url(string path) => $"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}{path}";

    /// <summary>A port on 127.0.0.1 with no listener (connection refused).</summary>
    public static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Sends <paramref name="data"/> as a file: 206 from the range asked for (when <paramref name="honourRange"/>), else 200; cut after the absolute offset <paramref name="cutAt"/>.</summary>
    public async Task SendFile(TestRequest request, Stream stream, byte[] data, bool honourRange = true, long? cutAt = null, long? rangeFrom = null)
    {
        long start = honourRange ? rangeFrom ?? request.RangeStart ?? 0 : 0;
        string head = start > 0 || (honourRange && request.RangeStart is not null)
            ? $"HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {start}-{data.Length - 1}/{data.Length}\r\n"
            : "HTTP/1.1 200 OK\r\n";
        head += $"Content-Length: {data.Length - start}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        long end = cutAt is long cut && cut > start ? Math.Min(cut, data.Length) : data.Length;
        for (long offset = start; offset < end; offset += 8192)
        {
            int count = (int)Math.Min(8192, end - offset);
            await stream.WriteAsync(data.AsMemory((int)offset, count));
            Interlocked.Add(ref _bytesSent, count);
        }

        await stream.FlushAsync();
    }

    /// <summary>Sends a status with a short body.</summary>
    public static async Task SendStatus(Stream stream, int code, string reason, string? location = null, string? header = null)
    {
        string head = $"HTTP/1.1 {code} {reason}\r\n{(location is null ? string.Empty : $"Location: {location}\r\n")}{(header is null ? string.Empty : header + "\r\n")}Content-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.FlushAsync();
    }

    /// <summary>Sends the headers of a file, then nothing until the server stops.</summary>
    public static async Task Stall(Stream stream, long length, CancellationToken stop)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"));
        await stream.FlushAsync();
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (TcpClient client in _clients)
        {
            client.Dispose();
        }

        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _clients.Add(client);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            using (client)
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(_certificate);
                    stream = tls;
                }

                await using (stream)
                {
                    TestRequest? request = await ReadRequestAsync(stream);
                    if (request is not null)
                    {
                        Requests.Enqueue(request);
                        await _handler(request, stream, _stop.Token);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away (or refused our certificate): nothing to serve.
        }
    }

    private static async Task<TestRequest?> ReadRequestAsync(Stream stream)
    {
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (head.Count < 16384)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            head.Add(one[0]);
            if (head.Count >= 4 && head[^1] == '\n' && head[^2] == '\r' && head[^3] == '\n' && head[^4] == '\r')
            {
                break;
            }
        }

        string[] lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] first = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }

        return new TestRequest(first[0], first[1], headers);
    }
}
