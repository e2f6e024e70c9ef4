using System.Text.Json;
using NeuralStyle.Jobs;
using NeuralStyle.Tests.Cli;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Jobs;

/// <summary>
/// A disk that fills up during a run (a tmpfs filled after the first checkpoint, once the up-front space check has
/// passed): one line naming the file, no temporary file, and the last checkpoint still resumes.
/// </summary>
public class FullDiskTests
{
    private static StyleJobSpec Spec(string output) => new()
    {
        Network = Fixtures.TinyVgg("tiny-vgg-current.mat"),
        Content = Fixtures.TinyVgg("content.png"),
        Styles = [Fixtures.TinyVgg("style1.png")],
        Output = output,
        Scales = 1,
        Settings = new StyleTransferSettings { Iterations = 6, CheckpointIterations = 5, PrintIterations = 1, Seed = 11 },
    };

    // The same run on an ordinary directory gives the sizes of its files.
    private static (long State, long Manifest, long Image) Measure(TempDirectory temp)
    {
        Directory.CreateDirectory(temp.File("measure"));
        StyleJob.Run(Spec(temp.File("measure/a.png")), JobContext.None);
        return (Tmpfs.Pages(new FileInfo(temp.File("measure/a.state")).Length), Tmpfs.Pages(new FileInfo(temp.File("measure/a.json")).Length), Tmpfs.Pages(new FileInfo(temp.File("measure/a.png")).Length));
    }

    // Runs on the disk and fills it after the first checkpoint, leaving the bytes given.
    private static IOException FailsAfterFirstCheckpoint(Tmpfs disk, long leave)
    {
        bool filled = false;
        void Fill(JobEvent e)
        {
            if (e is CheckpointSaved && !filled)
            {
                disk.Fill(leave);
                filled = true;
            }
        }

        return Assert.ThrowsAny<IOException>(() => StyleJob.Run(Spec(disk.File("a.png")), JobContext.None, Fill));
    }

    private static void AssertFirstCheckpointKept(Tmpfs disk, params string[] files)
    {
        Assert.Equal(files.Append("filler").Order(StringComparer.Ordinal), Directory.GetFiles(disk.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using (TransferState kept = TransferStateFile.Read(disk.File("a.state")))
        {
            // The seed checkpoints at 0-based iterations 0, 5, ...: the first checkpoint's state holds 1 iteration.
            Assert.Equal(1, kept.CompletedIterations);
        }

        using JsonDocument recorded = JsonDocument.Parse(File.ReadAllText(disk.File("a.json")));
        Assert.Equal(1, recorded.RootElement.GetProperty("completedIterations").GetInt32());
        Assert.False(recorded.RootElement.GetProperty("completed").GetBoolean());
    }

    [Fact]
    public void A_state_that_does_not_fit_fails_in_one_line_and_the_last_checkpoint_resumes()
    {
        using var temp = new TempDirectory();
        (long state, long manifest, long image) = Measure(temp);
        using var disk = Tmpfs.Mount(temp.File("disk"), 8 << 20);

        // Room for the final image and manifest but not for the final state's temporary file beside the first state.
        // Before: "No space left on device : '.../a.state.tmp'" and a.state.tmp left on the disk.
        IOException e = FailsAfterFirstCheckpoint(disk, image + manifest + (state / 2));
        Assert.Equal($"cannot write the run state {disk.File("a.state")}: No space left on device", e.Message);
        AssertFirstCheckpointKept(disk, "a.json", "a.png", "a.state");

        // With room again, the run resumes from its last good checkpoint.
        File.Delete(disk.File("filler"));
        CliRun resumed = CliRun.Invoke(["--resume", disk.File("a.json"), "--iterations", "6"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(Enumerable.Range(2, 5), SeedConsoleOutput.Parse(resumed.ErrorLines, out _).Iterations);
    }

    [Fact]
    public void An_image_that_does_not_fit_fails_in_one_line_without_a_temporary_file()
    {
        // Before: SkiaSharp's encoder wrote to the file stream from native code; the IOException of the full disk
        // could not unwind through it and the process aborted (exit 134) with a stack trace, leaving .a.png.*.tmp.
        using var temp = new TempDirectory();
        using var disk = Tmpfs.Mount(temp.File("disk"), 8 << 20);
        IOException e = FailsAfterFirstCheckpoint(disk, 0);
        Assert.Equal($"Cannot write '{disk.File("a.png")}': No space left on device", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        AssertFirstCheckpointKept(disk, "a.json", "a.state");
    }
}
