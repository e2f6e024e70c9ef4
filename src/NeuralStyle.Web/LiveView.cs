using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuralStyle.Jobs;
using NeuralStyle.Transfer;

namespace NeuralStyle.Web;

/// <summary>
/// A live web view of one run: a page with the picture as it forms, the scale and iteration, the losses as a plot,
/// the ETA and the options in force, updated by server-sent events; its stop button asks the run's
/// <see cref="RunControl"/> to stop (the run ends as a finished one: best picture, manifest, state to resume from).
/// </summary>
/// <remarks>
/// A consumer of the job's events like the console: pass it every event (<see cref="Observe"/>), on the job's thread.
/// Give the run's <see cref="RunControl"/> a preview interval (<see cref="PreviewInterval"/>) for pictures between
/// checkpoints. The server logs nothing and takes no signals: the console and Ctrl-C stay the program's.
/// </remarks>
public sealed class LiveView : IAsyncDisposable
{
    /// <summary>How often the page gets a new picture between checkpoints: at most once a second.</summary>
    public static readonly TimeSpan PreviewInterval = TimeSpan.FromSeconds(1);

    /// <summary>The header a stop request must carry, with the token the page was served with.</summary>
    internal const string StopHeader = "X-NeuralStyle-Stop";

    private readonly WebApplication _app;
    private readonly LiveRun _run;

    private LiveView(WebApplication app, LiveRun run, Uri address)
    {
        _app = app;
        _run = run;
        Address = address;
    }

    /// <summary>The page's address, for a browser on this machine.</summary>
    public Uri Address { get; }

    /// <summary>Starts serving the view of a run of <paramref name="spec"/> controlled by <paramref name="control"/>.</summary>
    /// <exception cref="IOException">Nothing can listen at <paramref name="endpoint"/> (in use, not an address of this machine, not allowed); the message says which.</exception>
    public static async Task<LiveView> StartAsync(WebEndpoint endpoint, StyleJobSpec spec, RunControl control)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(control);
        var run = new LiveRun(spec.ToJson(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(endpoint.Address, endpoint.Port));
        WebApplication app = builder.Build();
        LiveEndpoints.Map(app, run, control, endpoint);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"--web {Shown(endpoint)}: cannot listen: {ListenFailure(e)}", e);
        }

        int port = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "[::1]", StringComparison.Ordinal)).Port).First();
        return new LiveView(app, run, endpoint.BrowserUri(port));
    }

    /// <summary>Takes one event of the job (call it on the job's thread, for every event, in order).</summary>
    public void Observe(JobEvent e) => _run.Observe(e);

    /// <summary>Tells open pages the run is stopping (call it when a stop was asked for other than by the page, e.g. Ctrl-C).</summary>
    public void Stopping() => _run.Stopping();

    /// <summary>Lets open pages read the run's last events and fetch its last picture (a few seconds at most), then stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _run.LetPagesFetchTheLastPictureAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A page that did not read its last event in time is cut off; the run's files are written already.
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string Shown(WebEndpoint endpoint) =>
        endpoint.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : $"{endpoint.Address}:{endpoint.Port}";

    private static string ListenFailure(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.AddressAlreadyInUse => "the address is already in use (another program listens there; choose another port, or 0 for any free one)",
                    SocketError.AddressNotAvailable => "the host is not an address of this machine",
                    SocketError.AccessDenied => "permission denied (ports below 1024 need privileges)",
                    _ => socket.Message,
                };
            }
        }

        return e.Message;
    }
}
