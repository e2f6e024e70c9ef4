using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NeuralStyle.Tests.Browser;

/// <summary>
/// A minimal ASP.NET Core app on Kestrel at 127.0.0.1 and a port the system chooses, for tests that need their own
/// pages (the harness's self-tests): the caller maps its endpoints, the app starts, <see cref="Url"/> gives addresses.
/// </summary>
public sealed class LoopbackWebApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private LoopbackWebApp(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>The app's root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Root { get; }

    /// <summary>Maps endpoints with <paramref name="map"/> and starts listening.</summary>
    public static async Task<LoopbackWebApp> StartAsync(Action<WebApplication> map)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        map(app);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LoopbackWebApp(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>The absolute address of <paramref name="path"/> (e.g. <c>/events</c>).</summary>
    public string Url(string path) => new Uri(Root, path).ToString();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // A test may stop the server in the middle (to see the page lose it), then dispose it again at its end.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Open requests get a moment to end, then are cut. An event stream should end itself on
        // ApplicationStopping (see BrowserHarnessTests), or this waits the whole moment.
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
