using System.Diagnostics;

namespace NeuralStyle.Tests.Packaging;

/// <summary>Runs the dotnet command (or an installed tool) as a child process with its own environment.</summary>
public static class DotnetCommand
{
    /// <summary>
    /// Runs <paramref name="program"/> in <paramref name="directory"/> with <paramref name="environment"/> set over this
    /// process's environment. The MSBuild variables that `dotnet test` sets for its own build are removed: a child
    /// `dotnet pack` must evaluate the projects as a user's command line does.
    /// </summary>
    public static (int Code, string Stdout, string Stderr) Run(string program, string directory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (string name in start.Environment.Keys.Where(n => n.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {timeout}");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
