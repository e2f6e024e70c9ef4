using System.CommandLine;
using System.Runtime.InteropServices;
using NeuralStyle.Jobs;

namespace NeuralStyle.Cli;

/// <summary>Entry point shared by the executable and the tests: parses, dispatches, turns failures into one line.</summary>
public static class NeuralStyleApp
{
    private const string Program = "neural-style";

    /// <summary>Runs the command line; returns the process exit code (0 ok, 1 failure, 2 usage error).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive = false)
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

        var commandLine = new StyleCommandLine(resuming: resumed is not null);
        var layers = new LayersCommand();
        var models = new ModelsCommand();
        var classify = new ClassifyCommand();
        var doctor = new DoctorCommand();
        commandLine.Root.Subcommands.Add(layers.Command);
        commandLine.Root.Subcommands.Add(models.Command);
        commandLine.Root.Subcommands.Add(classify.Command);
        commandLine.Root.Subcommands.Add(doctor.Command);
        // An action on the root keeps System.CommandLine from demanding a subcommand; dispatch happens below.
        commandLine.Root.SetAction(_ => 0);
        layers.Command.SetAction(_ => 0);
        classify.Command.SetAction(_ => 0);
        doctor.Command.SetAction(_ => 0);
        ParseResult parsed = commandLine.Root.Parse(args);
        try
        {
            if (parsed.Errors.Count > 0 && !IsHelpOrVersion(args))
            {
                throw new UsageException(parsed.Errors[0].Message);
            }

            if (IsHelpOrVersion(args))
            {
                return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
            }

            if (parsed.CommandResult.Command == layers.Command)
            {
                return layers.Run(parsed, output);
            }

            if (parsed.CommandResult.Command == classify.Command)
            {
                return classify.Run(parsed, output);
            }

            if (parsed.CommandResult.Command == doctor.Command)
            {
                return doctor.Run(parsed, output, error);
            }

            if (models.Run(parsed, output) is int code)
            {
                return code;
            }

            StyleJobSpec spec = commandLine.Bind(parsed, resumed?.Spec);
            var context = new JobContext(args, resumeManifest, resumed?.StatePath);
            return StyleCommand.Run(spec, commandLine.Threads(parsed) ?? resumed?.Threads, context, error, interactive);
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

    private static bool IsHelpOrVersion(string[] args) =>
        args.Any(a => a is "--help" or "-h" or "-?" or "--version");
}
