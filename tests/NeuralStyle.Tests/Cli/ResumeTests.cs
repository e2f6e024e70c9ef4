using System.Diagnostics;
using System.Text.Json;
using NeuralStyle.Imaging;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>A run of 2N iterations and a run of N resumed for N more give the same image; a state that does not belong to the run is refused.</summary>
public class ResumeTests
{
    private static string[] Run(string output, int iterations, params string[] extra) =>
    [
        "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
        "--styles", Fixtures.TinyVgg("style1.png"), "--output", output, "--iterations", iterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--checkpoint-iterations", "5", "--print-iterations", "1", "--seed", "11", "--threads", "1", .. extra,
    ];

    [Theory]
    [InlineData("adam")]
    [InlineData("lbfgs")]
    public void ResumingGivesTheSameImageAsRunningStraightThrough(string optimizer)
    {
        using var temp = new TempDirectory();
        string[] opt = ["--optimizer", optimizer, "--lbfgs-history", "5", "--average", "0.9"];
        CliRun straight = CliRun.Invoke(Run(temp.File("straight.png"), 12, opt));
        Assert.True(straight.ExitCode == 0, straight.Error);

        CliRun half = CliRun.Invoke(Run(temp.File("half.png"), 6, opt));
        Assert.True(half.ExitCode == 0, half.Error);
        Assert.True(File.Exists(temp.File("half.state")));
        CliRun resumed = CliRun.Invoke(["--resume", temp.File("half.json"), "--iterations", "12"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);

        // The resumed run starts at iteration 7 and prints the same losses as the straight one from there on.
        SeedConsoleOutput a = SeedConsoleOutput.Parse(straight.ErrorLines, out _);
        SeedConsoleOutput b = SeedConsoleOutput.Parse(resumed.ErrorLines, out _);
        Assert.Equal(Enumerable.Range(7, 6), b.Iterations);
        foreach (PrintedLosses p in b.Printed)
        {
            PrintedLosses q = a.Printed.Single(x => x.Iteration == p.Iteration);
            Assert.Equal(q.Total, p.Total, Math.Abs(q.Total) * 1e-5);
        }

        RgbImage one = ImageReader.Read(temp.File("straight.png")), two = ImageReader.Read(temp.File("half.png"));
        Assert.True(one.Pixels.Zip(two.Pixels, (x, y) => Math.Abs(x - y)).Max() <= 1, "images differ by more than one level");

        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(temp.File("half.json")));
        Assert.Equal(12, manifest.RootElement.GetProperty("completedIterations").GetInt32());
        Assert.True(manifest.RootElement.GetProperty("completed").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, manifest.RootElement.GetProperty("checkpoints")[0].GetProperty("averageLoss").ValueKind);
    }

    [Fact]
    public void AKilledRunCanBeResumedFromItsLastCheckpoint()
    {
        using var temp = new TempDirectory();
        string cli = Path.Combine(AppContext.BaseDirectory, "neural-style.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(cli);
        foreach (string a in Run(temp.File("long.png"), 100000))
        {
            start.ArgumentList.Add(a);
        }

        using (Process process = Process.Start(start)!)
        {
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var clock = Stopwatch.StartNew();
            // Both files: on a loaded machine the manifest can follow the first state by more than the pause below.
            while (!(File.Exists(temp.File("long.state")) && File.Exists(temp.File("long.json"))) && clock.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
                Thread.Sleep(50);
            }

            Thread.Sleep(200);
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        Assert.True(File.Exists(temp.File("long.state")), "no state was written before the kill");
        using JsonDocument killed = JsonDocument.Parse(File.ReadAllText(temp.File("long.json")));
        Assert.False(killed.RootElement.GetProperty("completed").GetBoolean());
        // The state is written before the manifest, so a kill between the two leaves the state one checkpoint ahead.
        int done;
        using (NeuralStyle.Transfer.TransferState state = NeuralStyle.Transfer.TransferStateFile.Read(temp.File("long.state")))
        {
            done = state.CompletedIterations;
        }

        Assert.True(done >= 1);
        Assert.InRange(killed.RootElement.GetProperty("completedIterations").GetInt32(), done - 5, done);

        CliRun resumed = CliRun.Invoke(["--resume", temp.File("long.json"), "--iterations", (done + 3).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(Enumerable.Range(done + 1, 3), SeedConsoleOutput.Parse(resumed.ErrorLines, out _).Iterations);
        Assert.True(File.Exists(temp.File("long.png")));
    }

    [Fact]
    public void ResumeRefusesWhatItCannotContinue()
    {
        using var temp = new TempDirectory();
        CliRun missing = CliRun.Invoke(["--resume", temp.File("nope.json")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.ErrorLines.Single());

        CliRun done = CliRun.Invoke(Run(temp.File("d.png"), 3));
        Assert.True(done.ExitCode == 0, done.Error);
        CliRun again = CliRun.Invoke(["--resume", temp.File("d.json")]);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("ask for more than that", again.ErrorLines[^1]);

        File.WriteAllText(temp.File("d.state"), "garbage");
        CliRun corrupt = CliRun.Invoke(["--resume", temp.File("d.json"), "--iterations", "5"]);
        Assert.Equal(1, corrupt.ExitCode);
        Assert.Contains("d.state: byte 0", corrupt.ErrorLines[^1]);
    }

    [Fact]
    public void ResumeRefusesAStateSavedWithAnotherNetwork()
    {
        using var temp = new TempDirectory();
        HalfRun(temp);
        byte[] manifest = File.ReadAllBytes(temp.File("half.json")), state = File.ReadAllBytes(temp.File("half.state"));

        // Before: the run went on with the other network from the first one's image, keeping the first one's best loss.
        CliRun other = CliRun.Invoke(["--resume", temp.File("half.json"), "--network", Fixtures.TinyVgg("tiny-vgg-old.mat"), "--iterations", "9"]);

        Assert.Equal(2, other.ExitCode);
        string line = Assert.Single(other.ErrorLines);
        Assert.StartsWith($"neural-style: error: cannot resume: {temp.File("half.state")} was saved by a run of the network {Fixtures.TinyVgg("tiny-vgg-current.mat")}", line);
        Assert.Contains("resume with --network", line);
        Assert.Equal(manifest, File.ReadAllBytes(temp.File("half.json")));
        Assert.Equal(state, File.ReadAllBytes(temp.File("half.state")));
    }

    [Theory]
    [InlineData("--style-weight", "1", "--style-weight 100, this run has 1")]
    [InlineData("--optimizer", "lbfgs", "--optimizer adam, this run has lbfgs")]
    [InlineData("--style-layers", "relu1_1", "--style-layers ")]
    [InlineData("--styles", "style2.png", "--styles SHA-256 ")]
    [InlineData("--width", "20", "was saved for a 37x29 image, this run's is 20x15")]
    public void ResumeRefusesOtherOptionsAndSizes(string option, string value, string reason)
    {
        using var temp = new TempDirectory();
        HalfRun(temp);

        CliRun changed = CliRun.Invoke(["--resume", temp.File("half.json"), option, value.EndsWith(".png", StringComparison.Ordinal) ? Fixtures.TinyVgg(value) : value, "--iterations", "9"]);

        Assert.Equal(2, changed.ExitCode);
        string line = Assert.Single(changed.ErrorLines);
        Assert.StartsWith($"neural-style: error: cannot resume: {temp.File("half.state")} was saved ", line);
        Assert.Contains(reason, line);
    }

    [Fact]
    public void ResumeMayChangeTheLengthReportingAndStepSize()
    {
        using var temp = new TempDirectory();
        HalfRun(temp);
        CliRun resumed = CliRun.Invoke(["--resume", temp.File("half.json"), "--iterations", "8", "--learning-rate", "3", "--print-iterations", "2", "--checkpoint-iterations", "1"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
    }

    [Fact]
    public void ResumeRefusesACorruptedState()
    {
        using var temp = new TempDirectory();
        HalfRun(temp);
        byte[] state = File.ReadAllBytes(temp.File("half.state"));
        // One bit of a float in the middle of the saved tensors: before, the run resumed from it without a word.
        state[state.Length / 2] ^= 0x04;
        File.WriteAllBytes(temp.File("half.state"), state);

        CliRun corrupt = CliRun.Invoke(["--resume", temp.File("half.json"), "--iterations", "9"]);

        Assert.Equal(1, corrupt.ExitCode);
        Assert.Equal($"neural-style: error: {temp.File("half.state")}: the SHA-256 checksum does not match the contents: the file is damaged (changed or truncated after it was written)", Assert.Single(corrupt.ErrorLines));
    }

    [Fact]
    public void ResumeRemovesTheTemporaryFilesAKilledRunLeft()
    {
        using var temp = new TempDirectory();
        HalfRun(temp, "--checkpoint-output", temp.File("ck%s.png"));
        string guid = Guid.NewGuid().ToString("N");
        string[] stale = [temp.File("half.state.tmp"), temp.File("half.json.tmp"), temp.File($".half.png.{guid}.tmp"), temp.File($".ck10.png.{guid}.tmp")];
        string[] others = [temp.File($".other.png.{guid}.tmp"), temp.File("notes.tmp"), temp.File("ck10.png.tmp")];
        foreach (string file in stale.Concat(others))
        {
            File.WriteAllText(file, "left by a killed run");
        }

        // The image temporaries have random names, so before this fix nothing ever removed them; the fixed-name
        // state and manifest temporaries were only replaced by the next checkpoint's writes (StaleTemporaryFilesTests
        // shows they are removed before any write).
        CliRun resumed = CliRun.Invoke(["--resume", temp.File("half.json"), "--iterations", "7", "--checkpoint-iterations", "100"]);

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.All(stale, f => Assert.False(File.Exists(f), $"{f} was left"));
        Assert.All(others, f => Assert.True(File.Exists(f), $"{f} was removed"));
    }

    private static void HalfRun(TempDirectory temp, params string[] extra)
    {
        CliRun half = CliRun.Invoke(Run(temp.File("half.png"), 6, extra));
        Assert.True(half.ExitCode == 0, half.Error);
    }
}
