using System.Runtime.InteropServices;
using NeuralStyle.Jobs;
using NeuralStyle.Runtime;
using NeuralStyle.Transfer;
using NeuralStyle.Web;

namespace NeuralStyle.Cli;

/// <summary>The main job, as neural_style.py: the library's <see cref="StyleJob"/>, rendered on the console and, with --web, in a live view.</summary>
/// <remarks>
/// Ctrl-C (SIGINT) and the view's stop button do the same: the iteration under way becomes the last, the best picture,
/// the manifest and the state are written, and the program exits with <see cref="StoppedExitCode"/>. A second Ctrl-C
/// ends the process at once, as before (the last checkpoint's files stay).
/// </remarks>
internal static class StyleCommand
{
    /// <summary>The exit code of a run ended early by a stop: the shell's code for SIGINT, so that scripts see it was not finished.</summary>
    public const int StoppedExitCode = 130;

    public static int Run(StyleJobSpec spec, int? threads, JobContext context, TextWriter error, bool interactive, WebEndpoint? web = null)
    {
        TorchRuntime.EnsureInitialized(new RuntimeOptions(threads));
        var control = new RunControl(web is null ? null : LiveView.PreviewInterval);
        // Before the long work: a port in use is the first thing to say.
        LiveView? view = web is null ? null : LiveView.StartAsync(web, spec, control).GetAwaiter().GetResult();
        if (view is not null)
        {
            error.WriteLine($"Web view: {view.Address}");
        }

        var console = new JobConsole(error, interactive);
        using PosixSignalRegistration stopOnInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
        {
            if (control.StopRequested)
            {
                return; // the second Ctrl-C: the default action ends the process
            }

            signal.Cancel = true;
            control.RequestStop();
            view?.Stopping();
            error.WriteLine("Stopping after the iteration under way (Ctrl-C again to quit at once)");
        });
        JobPlot? plot = JobPlot.For(spec, error);
        bool completed = false;
        try
        {
            JobFinished finished = StyleJob.Run(spec, context, e =>
            {
                plot?.Observe(e);
                console.Report(e);
                view?.Observe(e);
            }, control: control);
            completed = true;
            console.Finish();
            if (finished.Stopped)
            {
                error.WriteLine($"Stopped after iteration {finished.StoppedAfter} of {spec.Settings.Iterations}: {finished.Output} holds the best picture; go on with --resume {finished.Manifest}");
                return StoppedExitCode;
            }

            return 0;
        }
        finally
        {
            console.Finish();
            try
            {
                plot?.Write(afterFailure: !completed);
            }
            finally
            {
                view?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
