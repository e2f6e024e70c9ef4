using System.Diagnostics;

namespace NeuralStyle.Tests.Support;

/// <summary>Runs neural-style as its own process: for what is process-wide (the kernel configuration, native aborts, the console).</summary>
public static class CliProcess
{
    public static (int Code, string Stdout, string Stderr) Run(params string[] args) => Run(new Dictionary<string, string>(), args);

    /// <summary>Runs with <paramref name="environment"/> set over the defaults a user has (no log-level or oneDNN variable).</summary>
    public static (int Code, string Stdout, string Stderr) Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "neural-style.dll"));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove("TORCH_CPP_LOG_LEVEL");
        start.Environment.Remove("NEURALSTYLE_ONEDNN");
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("neural-style did not finish within 3 minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
