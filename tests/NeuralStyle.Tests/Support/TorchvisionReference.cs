using System.Diagnostics;

namespace NeuralStyle.Tests.Support;

/// <summary>The files of one reference run of a torchvision model: its random weights, a fixed input and torchvision's output.</summary>
public sealed record ReferenceRun(string StateDict, string Input, string Output);

/// <summary>
/// Runs tests/fixture-scripts/torchvision_reference.py (Debian's torch 1.13 / torchvision 0.14) to produce a model's
/// reference weights and output at test time: the weights of the large models are too big to commit.
/// </summary>
public static class TorchvisionReference
{
    /// <summary>Debian's interpreter: the python3 on PATH may lack torch.</summary>
    public const string Python = "/usr/bin/python3";

    private const string Install = "install Debian's python3-torchvision (apt-get install -y --no-install-recommends python3-torch python3-torchvision python3-numpy)";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>The repository root (the directory holding NeuralStyle.sln above the test assembly).</summary>
    public static string RepositoryRoot
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "NeuralStyle.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            return dir ?? throw new DirectoryNotFoundException("the repository root (NeuralStyle.sln) is not above the test assembly");
        }
    }

    /// <summary>Writes state_dict.pth, input.npy and output.npy of torchvision's <paramref name="model"/> into <paramref name="directory"/>.</summary>
    /// <param name="model">A torchvision model name the script knows ("resnet18").</param>
    /// <param name="directory">Where the files go (created if needed).</param>
    /// <param name="batch">Input batch size.</param>
    /// <param name="size">Input size "HxW"; null: the model's canonical input (224x224, 299x299 for inception_v3).</param>
    /// <exception cref="InvalidOperationException">Python or torchvision is missing (the message says what to install), or the script failed.</exception>
    public static ReferenceRun Run(string model, string directory, int batch = 1, string? size = null) =>
        Run(model, directory, batch, size, Python);

    /// <summary>As <see cref="Run(string, string, int, string?)"/> with another interpreter (to test the messages).</summary>
    internal static ReferenceRun Run(string model, string directory, int batch, string? size, string python)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(directory);
        if (!File.Exists(python))
        {
            throw new InvalidOperationException($"{python} is missing; the torchvision agreement tests need it: {Install}");
        }

        string script = Path.Combine(RepositoryRoot, "tests", "fixture-scripts", "torchvision_reference.py");
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { script, "run", model, directory, "--batch", batch.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (size is not null)
        {
            start.ArgumentList.Add("--size");
            start.ArgumentList.Add(size);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{python} could not be started");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"torchvision_reference.py run {model} did not finish within {Timeout.TotalMinutes} minutes");
        }

        string errors = error.Result;
        _ = output.Result;
        if (process.ExitCode != 0)
        {
            bool missing = errors.Contains("No module named 'torch", StringComparison.Ordinal) || errors.Contains("No module named 'numpy'", StringComparison.Ordinal);
            throw new InvalidOperationException(missing
                ? $"{python} lacks torch, torchvision or numpy; {Install}. Python said: {errors.Trim()}"
                : $"torchvision_reference.py run {model} failed with exit code {process.ExitCode}: {errors.Trim()}");
        }

        var run = new ReferenceRun(Path.Combine(directory, "state_dict.pth"), Path.Combine(directory, "input.npy"), Path.Combine(directory, "output.npy"));
        foreach (string file in new[] { run.StateDict, run.Input, run.Output })
        {
            if (!File.Exists(file))
            {
                throw new InvalidOperationException($"torchvision_reference.py run {model} exited normally but did not write {file}");
            }
        }

        return run;
    }
}
