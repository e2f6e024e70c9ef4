using System.CommandLine;
using NeuralStyle.Runtime;
using NeuralStyle.Zoo;
using NeuralStyle.Zoo.Inspection;

namespace NeuralStyle.Cli;

/// <summary><c>neural-style models summary NAME [--input-size CxHxW] [--json]</c>: layer by layer shapes, parameters and multiply-adds.</summary>
internal sealed class ModelsSummaryCommand
{
    private readonly Argument<string> _name = new("NAME") { Description = "zoo model (see `neural-style models list`)" };
    private readonly Option<string?> _inputSize = new("--input-size") { Description = "input channels x height x width (default: the model's canonical input)", HelpName = "CxHxW" };
    private readonly Option<bool> _json = new("--json") { Description = "machine-readable output" };

    public ModelsSummaryCommand()
    {
        Command = new Command("summary", "Summarise a zoo model like torchinfo: every leaf layer as it runs (evaluation mode, batch 1) with its output shape, parameters and multiply-adds, and the totals.");
        Command.Arguments.Add(_name);
        Command.Options.Add(_inputSize);
        Command.Options.Add(_json);
    }

    public Command Command { get; }

    public int Run(ParseResult parsed, TextWriter output)
    {
        ModelInfo info = ModelsLoading.Describe(parsed.GetValue(_name)!);
        InputShape input = info.Input;
        if (parsed.GetValue(_inputSize) is string text)
        {
            try
            {
                input = InputShape.Parse(text);
            }
            catch (FormatException e)
            {
                throw new UsageException($"--input-size: {e.Message}");
            }

            if (input.Channels != info.Input.Channels)
            {
                throw new UsageException($"--input-size: {info.Name} takes {info.Input.Channels} input channel(s), not {input.Channels}");
            }
        }

        TorchRuntime.EnsureInitialized();
        using ZooModel model = ModelsLoading.Build(info.Name, weights: null);
        if ((long)input.Height * input.Width > (long)info.Input.Height * info.Input.Width)
        {
            // The summary keeps every module's output until it is done: refuse inputs that would not fit before running them.
            long estimate = SummaryMemory.EstimateBytes(model, info.Input, input);
            CommandMemory.EnsureFits(estimate, $"summarising {info.Name} at {input}", "use a smaller --input-size");
        }

        ModelSummary summary = ModelsLoading.Guard(info.Name, $"a {input} input", () => ModelSummary.Create(model, input));
        if (parsed.GetValue(_json))
        {
            output.WriteLine(summary.ToJson());
            return 0;
        }

        output.WriteLine(summary.ToTable());
        output.WriteLine($"Reference ({info.Reference}): {info.Parameters:N0} parameters"
            + (info.MultiplyAdds > 0 ? $", {ModelsJson.Giga(info.MultiplyAdds)} multiply-adds at {info.Input}" : ""));
        return 0;
    }
}
