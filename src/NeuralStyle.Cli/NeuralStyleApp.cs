using System.CommandLine;

namespace NeuralStyle.Cli;

/// <summary>Entry point shared by the executable and the tests: parses, dispatches, turns failures into one line.</summary>
public static class NeuralStyleApp
{
    private const string Program = "neural-style";

    /// <summary>Runs the command line; returns the process exit code (0 ok, 1 failure, 2 usage error).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive = false)
    {
        string? resumeManifest = null, resumeState = null;
        try
        {
            resumeManifest = ResumeArguments.ManifestPath(args);
            if (resumeManifest is not null)
            {
                (args, resumeState) = ResumeArguments.Merge(resumeManifest, args);
            }
        }
        catch (UsageException e)
        {
            error.WriteLine($"{Program}: error: {e.Message}");
            return 2;
        }

        var commandLine = new StyleCommandLine();
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

            return StyleCommand.Run(commandLine.Bind(parsed), args, error, interactive, resumeManifest, resumeState);
        }
        catch (UsageException e)
        {
            error.WriteLine($"{Program}: error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or InsufficientMemoryException or NeuralStyle.Runtime.KernelCheckException)
        {
            error.WriteLine($"{Program}: error: {e.Message}");
            return 1;
        }
    }

    private static bool IsHelpOrVersion(string[] args) =>
        args.Any(a => a is "--help" or "-h" or "-?" or "--version");
}
