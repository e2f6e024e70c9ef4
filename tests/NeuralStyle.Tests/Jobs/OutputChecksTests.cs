using System.Text.RegularExpressions;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Jobs;

/// <summary>Everything a run will write is checked before the images are read: names, inputs and directories before the network is loaded, disk space after the memory estimate.</summary>
public class OutputChecksTests
{
    private static string[] Run(string output, params string[] more) =>
    [
        "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
        "--styles", Fixtures.TinyVgg("style1.png"), "--output", output, "--iterations", "3", "--scales", "1", .. more,
    ];

    // Refused before the long work: no network line, no file.
    private static void AssertRefusedUpFront(CliRun run, int exitCode, string message, string directory)
    {
        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal($"neural-style: error: {message}", run.ErrorLines.Single());
        Assert.DoesNotContain(Directory.GetFileSystemEntries(directory), f => !Path.GetFileName(f).StartsWith("keep", StringComparison.Ordinal));
    }

    [Fact]
    public void A_checkpoint_name_that_is_the_outputs_own_is_refused()
    {
        // Before: found when the checkpoint of iteration 1 replaced o1.png, the final output, at the end of the run.
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke(Run(temp.File("o1.png"), "--checkpoint-output", temp.File("o%s.png"), "--checkpoint-iterations", "1"));
        AssertRefusedUpFront(run, 2, $"{temp.File("o1.png")} would be written twice (by --output, --checkpoint-output, --plot, the manifest or the state file): choose names that differ", temp.Path);
    }

    [Fact]
    public void An_output_that_is_an_input_is_refused_even_with_overwrite()
    {
        using var temp = new TempDirectory();
        string content = temp.File("keep-content.png");
        File.Copy(Fixtures.TinyVgg("content.png"), content);
        byte[] before = File.ReadAllBytes(content);
        string[] args = Run(content, "--overwrite");
        args[Array.IndexOf(args, "--content") + 1] = content;
        CliRun run = CliRun.Invoke(args);
        AssertRefusedUpFront(run, 2, $"{content} is an input of this run ({content}); writing there would destroy it: choose another --output, --checkpoint-output or --plot", temp.Path);
        Assert.Equal(before, File.ReadAllBytes(content));
    }

    [Fact]
    public void A_directory_that_refuses_files_is_found_before_the_run()
    {
        // Before: the run went to its end and failed writing the picture. (Root ignores permissions: a read-only mount.)
        using var temp = new TempDirectory();
        using var disk = Tmpfs.Mount(temp.File("ro"), 1 << 20, readOnly: true);
        CliRun run = CliRun.Invoke(Run(disk.File("o.png")));
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"neural-style: error: cannot write to {disk.Path}: ", run.ErrorLines.Single());
        Assert.Contains("Read-only file system", run.ErrorLines.Single());
    }

    [Fact]
    public void A_disk_without_room_for_the_output_and_the_state_is_found_before_the_run()
    {
        using var temp = new TempDirectory();
        using var disk = Tmpfs.Mount(temp.File("small"), 16 * 1024);
        CliRun run = CliRun.Invoke(Run(disk.File("o.png")));
        Assert.Equal(1, run.ExitCode);
        // Named by its mount point: the files of one file system are added up together. Checked after the memory
        // estimate (so after the network line) and before any iteration.
        Assert.Matches($@"^neural-style: error: not enough disk space for the output files on {Regex.Escape(disk.Path)}: the run needs up to \d+ MiB \(the images and the state to resume from\) but 1 MiB are free$", run.ErrorLines[^1]);
        Assert.DoesNotContain("Iteration", run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(disk.Path));
    }

    [Fact]
    public void A_new_run_of_the_same_outputs_removes_what_a_killed_run_left()
    {
        // Before: the image temporaries (random names) of a run killed while writing stayed forever.
        using var temp = new TempDirectory();
        string guid = Guid.NewGuid().ToString("N");
        string[] stale = [temp.File("o.state.tmp"), temp.File("o.json.tmp"), temp.File($".o.png.{guid}.tmp"), temp.File($".ck0.png.{guid}.tmp")];
        string[] others = [temp.File($".other.png.{guid}.tmp"), temp.File("notes.tmp")];
        foreach (string file in stale.Concat(others))
        {
            File.WriteAllText(file, "left by a killed run");
        }

        CliRun run = CliRun.Invoke(Run(temp.File("o.png"), "--checkpoint-output", temp.File("ck%s.png"), "--checkpoint-iterations", "2"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.All(stale, f => Assert.False(File.Exists(f), $"{f} was left"));
        Assert.All(others, f => Assert.True(File.Exists(f), $"{f} was removed"));
    }
}
