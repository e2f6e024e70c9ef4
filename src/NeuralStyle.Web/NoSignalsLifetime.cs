using Microsoft.Extensions.Hosting;

namespace NeuralStyle.Web;

/// <summary>
/// A host lifetime that takes no signals: the run, not the web server, owns Ctrl-C (a stop that writes the best
/// picture). ASP.NET Core's default console lifetime would take SIGINT and SIGTERM and print its own lines.
/// </summary>
internal sealed class NoSignalsLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
