using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using NeuralStyle.Plotting;
using NeuralStyle.Tests.Plotting;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>--plot FILE.png: written when the run ends, however it ends after its first losses; refused in one line before the run.</summary>
public sealed class PlotFlagTests
{
    private static string[] Run(TempDirectory temp, string plot, int iterations, params string[] extra) =>
    [
        "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
        "--styles", Fixtures.TinyVgg("style1.png"), "--output", temp.File("o.png"), "--plot", plot,
        "--iterations", iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "2", "--threads", "1", .. extra,
    ];

    [Fact]
    public void A_run_of_several_scales_writes_its_plot_and_records_it_in_the_manifest()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke(Run(temp, temp.File("losses.png"), 6, "--scales", "2", "--min-size", "20", "--coarse-iterations", "4"));
        Assert.True(run.ExitCode == 0, run.Error);

        var pixels = new PlotPixels(File.ReadAllBytes(temp.File("losses.png")));
        Assert.Equal((LossPlot.DefaultWidth, LossPlot.DefaultHeight), (pixels.Width, pixels.Height));
        // Ten iterations of four terms, each drawn in both panels (the tiny network's content loss starts from noise, never 0).
        AssertEveryTermDrawn(pixels);
        Assert.DoesNotContain(run.ErrorLines, l => l.StartsWith("Plot:", StringComparison.Ordinal));

        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(temp.File("o.json")));
        Assert.Equal(temp.File("losses.png"), manifest.RootElement.GetProperty("spec").GetProperty("plot").GetString());
        Assert.Equal(["losses.png", "o.json", "o.png", "o.state"], Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_resumed_run_draws_its_plot_again_where_the_manifest_says()
    {
        using var temp = new TempDirectory();
        CliRun first = CliRun.Invoke(Run(temp, temp.File("losses.png"), 6, "--scales", "1"));
        Assert.True(first.ExitCode == 0, first.Error);
        byte[] before = File.ReadAllBytes(temp.File("losses.png"));

        CliRun resumed = CliRun.Invoke(["--resume", temp.File("o.json"), "--iterations", "12"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        byte[] after = File.ReadAllBytes(temp.File("losses.png"));
        Assert.NotEqual(before, after);
        Assert.Equal(LossPlot.DefaultWidth, new PlotPixels(after).Width);
    }

    [Fact]
    public void A_run_that_fails_after_its_first_iteration_still_writes_the_losses_it_had()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke(Run(temp, temp.File("losses.png"), 10, "--scales", "1", "--learning-rate", "1e30"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("diverged", run.ErrorLines[^1]);
        Assert.StartsWith("neural-style: error: ", run.ErrorLines[^1]);
        Assert.Contains($"Plot: {temp.File("losses.png")}: the losses until the run failed", run.ErrorLines);
        var pixels = new PlotPixels(File.ReadAllBytes(temp.File("losses.png")));
        Assert.Equal(LossPlot.DefaultWidth, pixels.Width);
        Assert.True(pixels.Of("total") > 60, $"total: {pixels.Of("total")} pixels");
    }

    // The legend alone holds about 40 pixels of each colour. On the tiny network the style is nearly all of the total,
    // so the style's line runs inside the total's and only the total's edges keep its colour.
    private static void AssertEveryTermDrawn(PlotPixels pixels) =>
        Assert.All(LossTerm.All, t => Assert.True(pixels.Of(t.Name) > (t.Name == "total" ? 150 : 300), $"{t.Name}: {pixels.Of(t.Name)} pixels"));

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [Fact]
    public void A_run_stopped_by_ctrl_c_writes_its_plot_of_the_iterations_it_did()
    {
        using var temp = new TempDirectory();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "neural-style.dll"));
        // Far more iterations than the test waits for: only the signal ends this run in time.
        foreach (string a in Run(temp, temp.File("losses.png"), 1_000_000, "--scales", "1"))
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start)!;
        var signalled = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && e.Data.StartsWith("Iteration 30/", StringComparison.Ordinal) && signalled.TrySetResult())
            {
                Assert.Equal(0, Kill(process.Id, 2));
            }
        };
        process.BeginErrorReadLine();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the run did not stop within 2 minutes of Ctrl-C");
        }

        process.WaitForExit();
        Assert.True(signalled.Task.IsCompleted);
        Assert.Equal(130, process.ExitCode);
        var pixels = new PlotPixels(File.ReadAllBytes(temp.File("losses.png")));
        Assert.Equal(LossPlot.DefaultWidth, pixels.Width);
        AssertEveryTermDrawn(pixels);
    }

    [Fact]
    public void A_leftover_temporary_plot_of_a_killed_run_is_removed_when_the_run_starts()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("losses.png.tmp"), "half a plot");
        CliRun run = CliRun.Invoke(Run(temp, temp.File("losses.png"), 2, "--scales", "1"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.False(File.Exists(temp.File("losses.png.tmp")));
        Assert.True(File.Exists(temp.File("losses.png")));
    }

    [Theory]
    [InlineData("losses.jpg", 2, "neural-style: error: --plot {0}: a loss plot is written as PNG; give a name ending in .png")]
    [InlineData("o.png", 2, "neural-style: error: {0} would be written twice (by --output, --checkpoint-output, --plot, the manifest or the state file): choose names that differ")]
    [InlineData("missing/losses.png", 1, "neural-style: error: cannot write the loss plot {0}: directory {1} does not exist")]
    [InlineData("a-directory.png", 2, "neural-style: error: --plot {0}: it is a directory")]
    public void A_plot_name_that_cannot_be_written_is_refused_in_one_line_before_the_run(string name, int exitCode, string message)
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("a-directory.png"));
        string plot = temp.File(name);
        CliRun run = CliRun.Invoke(Run(temp, plot, 2));

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, plot, Path.GetDirectoryName(plot)), run.ErrorLines.Single());
        Assert.False(File.Exists(temp.File("o.json")), "the run started");
    }

    [Fact]
    public void A_plot_named_like_an_input_is_refused_even_with_overwrite()
    {
        using var temp = new TempDirectory();
        string content = temp.File("content.png");
        File.Copy(Fixtures.TinyVgg("content.png"), content);
        byte[] before = File.ReadAllBytes(content);
        string[] args = Run(temp, content, 2, "--overwrite");
        args[Array.IndexOf(args, "--content") + 1] = content;
        CliRun run = CliRun.Invoke(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"neural-style: error: {content} is an input of this run ({content}); writing there would destroy it: choose another --output, --checkpoint-output or --plot", run.ErrorLines.Single());
        Assert.Equal(before, File.ReadAllBytes(content));
    }

    [Fact]
    public void An_existing_plot_is_kept_without_overwrite_and_replaced_with_it()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("losses.png"), "an older plot");
        CliRun refused = CliRun.Invoke(Run(temp, temp.File("losses.png"), 2, "--scales", "1"));

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"neural-style: error: {temp.File("losses.png")} already exists (use --overwrite to replace it)", refused.ErrorLines.Single());
        Assert.Equal("an older plot", File.ReadAllText(temp.File("losses.png")));
        Assert.False(File.Exists(temp.File("o.png")));

        CliRun replaced = CliRun.Invoke(Run(temp, temp.File("losses.png"), 2, "--scales", "1", "--overwrite"));
        Assert.True(replaced.ExitCode == 0, replaced.Error);
        Assert.Equal(LossPlot.DefaultWidth, new PlotPixels(File.ReadAllBytes(temp.File("losses.png"))).Width);
    }
}
