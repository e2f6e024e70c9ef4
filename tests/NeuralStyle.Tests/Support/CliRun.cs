using NeuralStyle.Cli;
using NeuralStyle.Weights.Cache;

namespace NeuralStyle.Tests.Support;

/// <summary>Runs the neural-style command line in-process and captures what it prints.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Invoke(params string[] args) => InvokeWith(null, args);

    /// <summary>Runs with <paramref name="environment"/> placing the weights caches (the process's environment untouched).</summary>
    public static CliRun InvokeWith(WeightsEnvironment? environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = NeuralStyleApp.Run(args, output, error, environment: environment);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}
