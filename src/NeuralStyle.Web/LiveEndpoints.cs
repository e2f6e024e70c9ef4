using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using NeuralStyle.Transfer;

namespace NeuralStyle.Web;

/// <summary>
/// The view's routes: the page (<c>/</c>, <c>/live.js</c>, <c>/live.css</c>), the event stream (<c>/events</c>),
/// the latest picture (<c>/picture.png</c>), the loss plot as <c>--plot</c> draws it (<c>/plot.png</c>), the state as JSON (<c>/state</c>) and the stop (<c>POST /stop</c>).
/// </summary>
/// <remarks>
/// Stopping a run is the one request that changes anything. It must carry the token the page was served with in a
/// custom header: another site's page cannot send that header without a CORS preflight this server never approves,
/// and cannot read the token. On a loopback address, requests naming another host are refused, so that a name
/// rebound to 127.0.0.1 by someone's DNS cannot reach the page either.
/// </remarks>
internal static class LiveEndpoints
{
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(100);

    public static void Map(WebApplication app, LiveRun run, RunControl control, WebEndpoint endpoint)
    {
        if (endpoint.IsLoopback)
        {
            app.Use(async (http, next) =>
            {
                if (!IsLoopbackHost(http.Request.Host.Host))
                {
                    http.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                    await http.Response.WriteAsync("this view answers only to a loopback host name (127.0.0.1, [::1], localhost)").ConfigureAwait(false);
                    return;
                }

                await next(http).ConfigureAwait(false);
            });
        }

        app.MapGet("/", (HttpContext http) => Page(http, "index.html", "text/html; charset=utf-8", run.StopToken));
        app.MapGet("/live.js", (HttpContext http) => Page(http, "live.js", "text/javascript; charset=utf-8", null));
        app.MapGet("/live.css", (HttpContext http) => Page(http, "live.css", "text/css; charset=utf-8", null));
        app.MapGet("/picture.png", (HttpContext http) => Picture(http, run));
        app.MapGet("/plot.png", () => Results.File(run.PlotPng(), "image/png"));
        app.MapGet("/state", (HttpContext http) => State(http, run));
        app.MapGet("/events", (HttpContext http, IHostApplicationLifetime lifetime) => Events(http, run, lifetime.ApplicationStopping));
        app.MapPost("/stop", (HttpContext http) => Stop(http, run, control));
    }

    private static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address));

    private static async Task Page(HttpContext http, string name, string contentType, string? token)
    {
        string text = PageText(name);
        if (token is not null)
        {
            text = text.Replace("{{STOP_TOKEN}}", token, StringComparison.Ordinal);
        }

        http.Response.ContentType = contentType;
        http.Response.Headers.CacheControl = "no-store";
        // The page runs only its own script and style, and is never framed by another site.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' blob:; frame-ancestors 'none'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        await http.Response.WriteAsync(text).ConfigureAwait(false);
    }

    private static string PageText(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"NeuralStyle.Web.Page.{name}")
            ?? throw new InvalidOperationException($"the page file {name} is not embedded in the assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static async Task Picture(HttpContext http, LiveRun run)
    {
        http.Response.Headers.CacheControl = "no-store";
        int? asked = int.TryParse(http.Request.Query["v"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) ? v : null;
        if (run.LatestPng(asked) is not (byte[] png, int version))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        http.Response.ContentType = "image/png";
        http.Response.Headers["X-Picture-Version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.Response.Body.WriteAsync(png).ConfigureAwait(false);
    }

    private static async Task State(HttpContext http, LiveRun run)
    {
        (ServerEvent snapshot, System.Threading.Channels.ChannelReader<ServerEvent> events) = run.Subscribe();
        run.Unsubscribe(events);
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(snapshot.Data).ConfigureAwait(false);
    }

    // The stream starts with the whole state, so a page opened late (or reconnecting) draws everything so far.
    private static async Task Events(HttpContext http, LiveRun run, CancellationToken stopping)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-store";
        // The run's end completes the stream (after its last status), before the server stops; the server's stopping
        // ends only a stream that would otherwise outlive it.
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        using CancellationTokenRegistration late = stopping.Register(() => gone.CancelAfter(TimeSpan.FromSeconds(1)));
        (ServerEvent snapshot, System.Threading.Channels.ChannelReader<ServerEvent> events) = run.Subscribe();
        try
        {
            await Send(http, [snapshot], gone.Token).ConfigureAwait(false);
            var batch = new List<ServerEvent>();
            while (await events.WaitToReadAsync(gone.Token).ConfigureAwait(false))
            {
                // What arrives within a tenth of a second goes out in one write: a small picture can take 20
                // iterations a second, and a wake-up and a flush for each would take CPU from the run.
                await Task.Delay(BatchWindow, gone.Token).ConfigureAwait(false);
                batch.Clear();
                while (events.TryRead(out ServerEvent? e))
                {
                    batch.Add(e);
                }

                await Send(http, batch, gone.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away, or the server is stopping.
        }
        finally
        {
            run.Unsubscribe(events);
        }
    }

    private static async Task Send(HttpContext http, IReadOnlyList<ServerEvent> batch, CancellationToken cancellation)
    {
        await http.Response.WriteAsync(string.Concat(batch.Select(e => e.Wire())), cancellation).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(cancellation).ConfigureAwait(false);
    }

    private static IResult Stop(HttpContext http, LiveRun run, RunControl control)
    {
        byte[] given = Encoding.UTF8.GetBytes(http.Request.Headers[LiveView.StopHeader].ToString());
        byte[] expected = Encoding.UTF8.GetBytes(run.StopToken);
        if (!CryptographicOperations.FixedTimeEquals(given, expected))
        {
            return Results.Text("a stop must come from the page (its token is missing or wrong)", statusCode: StatusCodes.Status403Forbidden);
        }

        control.RequestStop();
        run.Stopping();
        return Results.Accepted();
    }
}
