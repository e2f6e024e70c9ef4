using NeuralStyle.Jobs;
using NeuralStyle.Runtime;

namespace NeuralStyle.Cli;

/// <summary>The main job, as neural_style.py: the library's <see cref="StyleJob"/>, rendered on the console.</summary>
internal static class StyleCommand
{
    public static int Run(StyleJobSpec spec, int? threads, JobContext context, TextWriter error, bool interactive)
    {
        TorchRuntime.EnsureInitialized(new RuntimeOptions(threads));
        var console = new JobConsole(error, interactive);
        try
        {
            StyleJob.Run(spec, context, console.Report);
        }
        finally
        {
            console.Finish();
        }

        return 0;
    }
}
