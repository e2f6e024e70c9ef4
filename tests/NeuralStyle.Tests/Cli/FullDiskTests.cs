using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>A run whose disk fills up while it saves its state: one line, no temporary file, and the last checkpoint still resumes.</summary>
/// <remarks>The disk is a small tmpfs the test mounts (the tests run as root); if it cannot be mounted the test fails and says why.</remarks>
public class FullDiskTests
{
    private static string[] Run(string output, int iterations) =>
    [
        "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
        "--styles", Fixtures.TinyVgg("style1.png"), "--output", output, "--iterations", iterations.ToString(CultureInfo.InvariantCulture),
        "--checkpoint-iterations", "5", "--print-iterations", "1", "--seed", "11", "--threads", "1",
    ];

    [Fact]
    public void AStateThatDoesNotFitFailsInOneLineAndTheLastCheckpointResumes()
    {
        using var temp = new TempDirectory();
        // The same run on an ordinary directory gives the sizes of its files.
        Directory.CreateDirectory(temp.File("measure"));
        CliRun measured = CliRun.Invoke(Run(temp.File("measure/a.png"), 6));
        Assert.True(measured.ExitCode == 0, measured.Error);
        long state = Pages(temp.File("measure/a.state")), manifest = Pages(temp.File("measure/a.json")), image = Pages(temp.File("measure/a.png"));
        // Room for the first checkpoint (state and manifest) and the final image, but not for the final state's
        // temporary file beside the first state: the second state write is the one that fails.
        long bytes = (state + manifest + image + (state / 2)) * Environment.SystemPageSize;

        string disk = temp.File("disk");
        Directory.CreateDirectory(disk);
        Mount(disk, $"size={bytes}");
        try
        {
            // Before: exit 1 with "No space left on device : '.../a.state.tmp'" and a.state.tmp left on the disk.
            CliRun full = CliRun.Invoke(Run(Path.Combine(disk, "a.png"), 6));

            Assert.Equal(1, full.ExitCode);
            Assert.Equal($"neural-style: error: cannot write the run state {Path.Combine(disk, "a.state")}: No space left on device", full.ErrorLines[^1]);
            Assert.DoesNotContain(full.ErrorLines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
            Assert.Equal(["a.json", "a.png", "a.state"], Directory.GetFiles(disk).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            // The seed checkpoints at 0-based iterations 0, 5, ...: the first checkpoint's state holds 1 iteration.
            using (TransferState kept = TransferStateFile.Read(Path.Combine(disk, "a.state")))
            {
                Assert.Equal(1, kept.CompletedIterations);
            }

            using (JsonDocument recorded = JsonDocument.Parse(File.ReadAllText(Path.Combine(disk, "a.json"))))
            {
                Assert.Equal(1, recorded.RootElement.GetProperty("completedIterations").GetInt32());
                Assert.False(recorded.RootElement.GetProperty("completed").GetBoolean());
            }

            // With room again, the run resumes from its last good checkpoint.
            Mount(disk, "remount,size=8m");
            CliRun resumed = CliRun.Invoke(["--resume", Path.Combine(disk, "a.json"), "--iterations", "6"]);
            Assert.True(resumed.ExitCode == 0, resumed.Error);
            Assert.Equal(Enumerable.Range(2, 5), SeedConsoleOutput.Parse(resumed.ErrorLines, out _).Iterations);
        }
        finally
        {
            Unmount(disk);
        }
    }

    private static long Pages(string file) => (new FileInfo(file).Length + Environment.SystemPageSize - 1) / Environment.SystemPageSize;

    private static void Mount(string directory, string options)
    {
        (int code, string error) = Tool("mount", options.StartsWith("remount", StringComparison.Ordinal) ? ["-o", options, directory] : ["-t", "tmpfs", "-o", options, "tmpfs", directory]);
        Assert.True(code == 0, $"cannot mount a tmpfs ({options}) at {directory}: {error.Trim()} (this test needs root and mount(8); CI runs as root)");
    }

    private static void Unmount(string directory)
    {
        (int code, string error) = Tool("umount", [directory]);
        Assert.True(code == 0, $"cannot unmount {directory}: {error.Trim()}");
    }

    private static (int Code, string Error) Tool(string name, string[] args)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using Process process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
