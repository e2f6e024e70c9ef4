using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using NeuralStyle.Jobs;
using NeuralStyle.Weights.Cache;

namespace NeuralStyle.Cli;

/// <summary>Entry point shared by the executable and the tests: parses, dispatches, turns failures into one line.</summary>
public static class NeuralStyleApp
{
    private const string Program = "neural-style";

    /// <summary>Runs the command line; returns the process exit code (0 ok, 1 failure, 2 usage error).</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error: progress and errors.</param>
    /// <param name="interactive">Standard error is a terminal: live progress lines.</param>
    /// <param name="environment">Where the weights caches are (tests give their own; default: the process's environment).</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive = false, WeightsEnvironment? environment = null)
    {
        RunRecord? resumed;
        string? resumeManifest;
        try
        {
            resumeManifest = ResumeArguments.ManifestPath(args);
            resumed = resumeManifest is null ? null : RunRecord.Load(resumeManifest);
        }
        catch (Exception e) when (e is UsageException or JobSpecException)
        {
            error.WriteLine($"{Program}: error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{Program}: error: cannot resume: {e.Message}");
            return 1;
        }

        var commands = new AppCommands(resuming: resumed is not null);
        ParseResult parsed = commands.Root.Parse(args);
        try
        {
            if (parsed.Errors.Count > 0 && !IsHelpOrVersion(args))
            {
                throw new UsageException(FirstError(parsed).Message);
            }

            if (IsHelpOrVersion(args))
            {
                return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
            }

            if (parsed.CommandResult.Command == commands.Layers.Command)
            {
                return commands.Layers.Run(parsed, output, environment);
            }

            if (parsed.CommandResult.Command == commands.Classify.Command)
            {
                return commands.Classify.Run(parsed, output);
            }

            if (parsed.CommandResult.Command == commands.Doctor.Command)
            {
                return commands.Doctor.Run(parsed, output, error);
            }

            if (commands.Models.Run(parsed, output) is int code)
            {
                return code;
            }

            if (commands.Weights.Run(parsed, output, error, interactive, environment) is int weightsCode)
            {
                return weightsCode;
            }

            StyleJobSpec spec = commands.Style.Bind(parsed, resumed?.Spec);
            Web.WebEndpoint? web = commands.Style.WebEndpoint(parsed);
            if (commands.Style.Download(parsed))
            {
                WeightsDownloadStep.Run(spec, environment, error, interactive);
            }

            var context = new JobContext(args, resumeManifest, resumed?.StatePath) { WeightsEnvironment = environment };
            return StyleCommand.Run(spec, commands.Style.Threads(parsed) ?? resumed?.Threads, context, error, interactive, web);
        }
        catch (Exception e) when (e is UsageException or JobSpecException)
        {
            error.WriteLine($"{Program}: error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or InsufficientMemoryException or NeuralStyleException)
        {
            error.WriteLine($"{Program}: error: {FirstLine(e)}");
            return 1;
        }
        catch (ExternalException e)
        {
            // LibTorch refused an operation that no earlier check foresaw; its message says which and why.
            error.WriteLine($"{Program}: error: LibTorch: {FirstLine(e)}");
            return 1;
        }
        catch (Exception e)
        {
            // A bug of ours still ends in one line (and exit 1), never in a stack trace.
            error.WriteLine($"{Program}: error: internal error ({e.GetType().Name}): {FirstLine(e)}; please report it with the command line");
            return 1;
        }
    }

    // A message that wraps LibTorch's carries its C++ backtrace after the first line.
    private static string FirstLine(Exception e) => e.Message.Split('\n', 2)[0].TrimEnd();

    // As argparse, which converts values as it reads them: what is wrong with an option or argument typed is reported
    // before an option that is missing (whose result System.CommandLine makes up, with no identifier token).
    private static ParseError FirstError(ParseResult parsed) =>
        parsed.Errors.FirstOrDefault(e => e.SymbolResult switch
        {
            OptionResult option => option.IdentifierToken is not null,
            ArgumentResult argument => argument.Tokens.Count > 0,
            _ => false,
        }) ?? parsed.Errors[0];

    private static bool IsHelpOrVersion(string[] args) =>
        args.Any(a => a is "--help" or "-h" or "-?" or "--version");
}
