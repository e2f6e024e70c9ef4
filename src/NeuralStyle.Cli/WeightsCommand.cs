using System.CommandLine;
using NeuralStyle.Weights.Cache;

namespace NeuralStyle.Cli;

/// <summary>
/// <c>neural-style weights list|fetch|verify|convert</c>: the verified download cache of pretrained weight files, and
/// their conversion to safetensors.
/// </summary>
internal sealed class WeightsCommand
{
    private readonly WeightsListCommand _list = new();
    private readonly WeightsFetchCommand _fetch = new();
    private readonly WeightsVerifyCommand _verify = new();
    private readonly WeightsConvertCommand _convert = new();

    public WeightsCommand()
    {
        Command = new Command("weights", "Pretrained weight files: list the known ones and where they are, fetch one into the verified cache, verify a copy, convert one to safetensors.");
        foreach (Command sub in new[] { _list.Command, _fetch.Command, _verify.Command, _convert.Command })
        {
            Command.Subcommands.Add(sub);
            // Dispatch happens in Run; the action only tells System.CommandLine the command is complete.
            sub.SetAction(_ => 0);
        }
    }

    public Command Command { get; }

    /// <summary>Runs the parsed weights subcommand, or returns null when the command line is not one.</summary>
    public int? Run(ParseResult parsed, TextWriter output, TextWriter error, bool interactive, WeightsEnvironment? environment)
    {
        Command command = parsed.CommandResult.Command;
        if (command == Command)
        {
            throw new UsageException("weights needs a subcommand: list, fetch, verify or convert (see `neural-style weights --help`)");
        }

        return command == _list.Command ? _list.Run(parsed, output, environment)
            : command == _fetch.Command ? _fetch.Run(parsed, output, error, interactive, environment)
            : command == _verify.Command ? _verify.Run(parsed, output, environment)
            : command == _convert.Command ? _convert.Run(parsed, output)
            : null;
    }
}
