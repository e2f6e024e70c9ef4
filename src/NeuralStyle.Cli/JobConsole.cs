using NeuralStyle.Jobs;

namespace NeuralStyle.Cli;

/// <summary>
/// The console's view of a job: our two first lines (which network, the memory estimate), a line before each scale,
/// then the seed's lines and the progress bar (<see cref="ProgressReporter"/>), all on standard error as the seed.
/// </summary>
internal sealed class JobConsole(TextWriter error, bool interactive)
{
    private readonly ProgressReporter _progress = new(error, interactive);

    public void Report(JobEvent e)
    {
        switch (e)
        {
            case JobStarted started:
                error.WriteLine($"Network: {started.NetworkDescription} from {started.Backbone.Path} ({started.Backbone.Source})");
                // Only when something other than the seed's fp32 was asked: what was chosen and why.
                if (started.Precision is { Requested: not Transfer.ComputePrecision.Float32 } precision)
                {
                    error.WriteLine($"Precision: {Transfer.PrecisionChoice.Name(precision.Used)} ({precision.Reason})");
                }

                break;
            case MemoryChecked memory:
                string what = memory.Limited ? "allowed by --max-memory" : "available";
                error.WriteLine($"Memory: estimated peak {memory.EstimatedBytes >> 20} MiB" + (memory.BudgetBytes is long a ? $" of {a >> 20} MiB {what}" : ""));
                break;
            case TilingChosen t:
                error.WriteLine($"Tiling: {t.Width}x{t.Height} in {t.Rows}x{t.Columns} blocks of {t.Tile} px + {t.Margin} px margin (largest {t.BlockWidth}x{t.BlockHeight}), estimated peak {t.EstimatedBytes >> 20} MiB ({(t.Forced ? "--tile" : "the untiled run would not fit")})");
                break;
            case ScaleStarted scale:
                _progress.Line($"Scale {scale.Scale}/{scale.Scales}: {scale.Width}x{scale.Height}, {scale.Iterations} iterations");
                break;
            case EngineProgress progress:
                _progress.Report(progress.Event);
                break;
        }
    }

    public void Finish() => _progress.Finish();
}
