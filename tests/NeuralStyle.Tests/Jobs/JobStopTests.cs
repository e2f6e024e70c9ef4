using System.Text.Json;
using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Jobs;

/// <summary>
/// A stop (<see cref="RunControl.RequestStop"/>, what the web view's button and Ctrl-C do) ends a run as a finished
/// one: the best picture written, the manifest complete and marked stopped, a state that a resume continues exactly.
/// </summary>
public class JobStopTests
{
    private static StyleJobSpec Spec(TempDirectory temp, string name, int iterations, int scales = 1) => new()
    {
        Content = Fixtures.TinyVgg("content.png"),
        Styles = [Fixtures.TinyVgg("style1.png")],
        Network = Fixtures.TinyVgg("tiny-vgg-current.mat"),
        Output = temp.File(name + ".png"),
        Scales = scales,
        MinSize = 16,
        CoarseIterations = 4,
        Settings = new StyleTransferSettings { Iterations = iterations, PrintIterations = 1, Seed = 7 },
    };

    // Asks for a stop when the final scale's iteration <paramref name="at"/> starts (scale counted from the events).
    private static Action<JobEvent> StopAt(RunControl control, List<JobEvent> events, int scale, int at)
    {
        int current = 1;
        return e =>
        {
            events.Add(e);
            current = e is ScaleStarted s ? s.Scale : current;
            if (current == scale && e is EngineProgress { Event: IterationStarted { Iteration: var i } } && i == at)
            {
                control.RequestStop();
            }
        };
    }

    [Fact]
    public void A_stop_ends_the_run_with_its_picture_and_a_complete_manifest_and_the_resume_matches_a_straight_run()
    {
        using var temp = new TempDirectory();
        StyleJob.Run(Spec(temp, "straight", 10), JobContext.None);

        var control = new RunControl();
        var events = new List<JobEvent>();
        JobFinished stopped = StyleJob.Run(Spec(temp, "stopped", 10), JobContext.None, StopAt(control, events, scale: 1, at: 4), control: control);

        Assert.True(stopped.Stopped);
        Assert.Equal(4, stopped.StoppedAfter);
        // The iteration under way when the stop came is the last one taken.
        Assert.Equal(4, events.OfType<EngineProgress>().Select(p => p.Event).OfType<IterationStarted>().Max(i => i.Iteration));
        PictureProduced final = Assert.Single(events.OfType<PictureProduced>());
        Assert.True(final.IsFinal);
        Assert.Equal(stopped, events[^1]);
        Assert.True(File.Exists(temp.File("stopped.png")));
        using (JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(stopped.Manifest)))
        {
            Assert.True(manifest.RootElement.GetProperty("completed").GetBoolean());
            Assert.True(manifest.RootElement.GetProperty("stopped").GetBoolean());
            Assert.Equal(4, manifest.RootElement.GetProperty("completedIterations").GetInt32());
            Assert.Equal(JsonValueKind.Null, manifest.RootElement.GetProperty("failure").ValueKind);
        }

        // The resume (which replaces the run's own files, as --resume does) runs iterations 5..10 and ends where the
        // straight run ended.
        RunRecord record = RunRecord.Load(stopped.Manifest);
        var resumedEvents = new List<JobEvent>();
        JobFinished resumed = StyleJob.Run(record.Spec with { Overwrite = true }, new JobContext(["test"], stopped.Manifest, record.StatePath), resumedEvents.Add);
        Assert.False(resumed.Stopped);
        Assert.Equal(Enumerable.Range(5, 6), resumedEvents.OfType<EngineProgress>().Select(p => p.Event).OfType<IterationStarted>().Select(i => i.Iteration));
        RgbImage straight = ImageReader.Read(temp.File("straight.png")), continued = ImageReader.Read(temp.File("stopped.png"));
        Assert.True(straight.Pixels.Zip(continued.Pixels, (a, b) => Math.Abs(a - b)).Max() <= 1, "the resumed picture differs from the straight run's by more than one level");
        using JsonDocument after = JsonDocument.Parse(File.ReadAllText(resumed.Manifest));
        Assert.False(after.RootElement.GetProperty("stopped").GetBoolean());
        Assert.Equal(10, after.RootElement.GetProperty("completedIterations").GetInt32());
    }

    [Fact]
    public void A_stop_during_a_coarse_scale_skips_the_others_and_takes_one_iteration_at_full_size()
    {
        using var temp = new TempDirectory();
        var control = new RunControl();
        var events = new List<JobEvent>();
        JobFinished stopped = StyleJob.Run(Spec(temp, "coarse", 10, scales: 3), JobContext.None, StopAt(control, events, scale: 1, at: 2), control: control);

        Assert.Equal(1, stopped.StoppedAfter);
        Assert.Equal([1, 3], events.OfType<ScaleStarted>().Select(s => s.Scale));
        ScaleStarted last = events.OfType<ScaleStarted>().Last();
        RgbImage written = ImageReader.Read(temp.File("coarse.png"));
        Assert.Equal((last.Width, last.Height), (written.Width, written.Height));
        int finalScale = events.IndexOf(last);
        Assert.Equal([1], events.Skip(finalScale).OfType<EngineProgress>().Select(p => p.Event).OfType<IterationStarted>().Select(i => i.Iteration));
        Assert.Equal([1, 2], events.Take(finalScale).OfType<EngineProgress>().Select(p => p.Event).OfType<IterationStarted>().Select(i => i.Iteration));
    }

    [Fact]
    public void Previews_come_between_checkpoints_and_losses_come_every_iteration()
    {
        using var temp = new TempDirectory();
        var control = new RunControl(previewInterval: TimeSpan.Zero);
        var events = new List<JobEvent>();
        StyleJobSpec spec = Spec(temp, "previews", 6) with { Settings = Spec(temp, "previews", 6).Settings with { CheckpointIterations = 3, PrintIterations = 3 } };
        StyleJob.Run(spec, JobContext.None, events.Add, control: control);

        TransferEvent[] engine = [.. events.OfType<EngineProgress>().Select(p => p.Event)];
        Assert.Equal(Enumerable.Range(1, 6), engine.OfType<IterationLosses>().Select(l => l.Iteration));
        // Printed at the seed's intervals only (0-based multiples of 3, and the last).
        Assert.Equal([1, 4, 6], engine.OfType<LossesEvaluated>().Select(l => l.Iteration));
        // Checkpoints at 0-based 0 and 3 and the final picture: previews at every other iteration.
        Assert.Equal([2, 3, 5], engine.OfType<PreviewImage>().Select(p => p.Iteration));
        RgbImage content = ImageReader.Read(Fixtures.TinyVgg("content.png"));
        Assert.All(engine.OfType<PreviewImage>(), p => Assert.Equal((content.Width, content.Height), (p.Image.Width, p.Image.Height)));
        Assert.Equal(3, events.OfType<PictureProduced>().Count());
    }

    [Fact]
    public void Without_a_viewer_there_are_no_previews()
    {
        using var temp = new TempDirectory();
        var events = new List<JobEvent>();
        StyleJob.Run(Spec(temp, "plain", 3), JobContext.None, events.Add, control: new RunControl());
        Assert.Empty(events.OfType<EngineProgress>().Select(p => p.Event).OfType<PreviewImage>());
    }
}
