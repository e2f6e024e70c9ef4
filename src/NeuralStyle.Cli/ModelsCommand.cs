using System.CommandLine;

namespace NeuralStyle.Cli;

/// <summary><c>neural-style models list|summary|forward</c>: the architecture zoo.</summary>
internal sealed class ModelsCommand
{
    private readonly ModelsListCommand _list = new();
    private readonly ModelsSummaryCommand _summary = new();
    private readonly ModelsForwardCommand _forward = new();

    public ModelsCommand()
    {
        Command = new Command("models", "The architecture zoo: list the models, summarise one, or run one on a .npy tensor.");
        foreach (Command sub in new[] { _list.Command, _summary.Command, _forward.Command })
        {
            Command.Subcommands.Add(sub);
            // Dispatch happens in Run; the action only tells System.CommandLine the command is complete.
            sub.SetAction(_ => 0);
        }
    }

    public Command Command { get; }

    /// <summary>Runs the parsed models subcommand, or returns null when the command line is not one.</summary>
    public int? Run(ParseResult parsed, TextWriter output)
    {
        Command command = parsed.CommandResult.Command;
        return command == _list.Command ? _list.Run(parsed, output)
            : command == _summary.Command ? _summary.Run(parsed, output)
            : command == _forward.Command ? _forward.Run(parsed, output)
            : null;
    }
}
