using System.Text.Json;
using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Jobs;

/// <summary>The library's style job: its events, the pictures it reports, cancellation and its record.</summary>
public class StyleJobTests
{
    private static StyleJobSpec Spec(TempDirectory temp, int iterations = 4) => new()
    {
        Content = Fixtures.TinyVgg("content.png"),
        Styles = [Fixtures.TinyVgg("style1.png")],
        Network = Fixtures.TinyVgg("tiny-vgg-current.mat"),
        Output = temp.File("out.png"),
        CheckpointOutput = temp.File("out%s.png"),
        Scales = 2,
        MinSize = 16,
        CoarseIterations = 2,
        PreserveColors = true,
        Settings = new StyleTransferSettings { Iterations = iterations, CheckpointIterations = 2, PrintIterations = 2, Seed = 5 },
    };

    [Fact]
    public void Events_come_in_order_and_the_pictures_are_the_files_written()
    {
        using var temp = new TempDirectory();
        var events = new List<JobEvent>();
        JobFinished finished = StyleJob.Run(Spec(temp), new JobContext(["test"]), events.Add);

        Assert.IsType<JobStarted>(events[0]);
        Assert.IsType<MemoryChecked>(events[1]);
        Assert.Equal([(1, 2), (2, 2)], events.OfType<ScaleStarted>().Select(s => (s.Scale, s.Scales)));
        Assert.Equal(finished, events[^1]);
        int secondScale = events.FindIndex(e => e is ScaleStarted { Scale: 2 });
        Assert.Equal([1, 2, 3, 4], events.Skip(secondScale).OfType<EngineProgress>().Select(p => p.Event).OfType<IterationStarted>().Select(i => i.Iteration));

        PictureProduced[] pictures = [.. events.OfType<PictureProduced>()];
        Assert.Equal([0, 2, null], pictures.Select(p => p.CheckpointIteration));
        Assert.True(pictures[^1].IsFinal);
        foreach (PictureProduced picture in pictures)
        {
            // The reported picture is the user's (colours preserved), exactly what went into the file.
            RgbImage written = ImageReader.Read(picture.File!);
            Assert.True(written.Pixels.Zip(picture.Picture.Pixels, (a, b) => Math.Abs(a - Math.Clamp(MathF.Round(b), 0, 255))).Max() <= 0.5f);
        }

        // Each picture is followed by the record being saved.
        Assert.Equal(3, events.OfType<CheckpointSaved>().Count());
        Assert.Equal(temp.File("out.json"), finished.Manifest);
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(finished.Manifest));
        Assert.True(manifest.RootElement.GetProperty("completed").GetBoolean());
        Assert.Equal("test", manifest.RootElement.GetProperty("arguments")[0].GetString());
    }

    [Fact]
    public void Cancellation_stops_the_run_and_keeps_the_last_checkpoint()
    {
        using var temp = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        var events = new List<JobEvent>();
        void Observe(JobEvent e)
        {
            events.Add(e);
            if (e is CheckpointSaved)
            {
                cancel.Cancel();
            }
        }

        Assert.ThrowsAny<OperationCanceledException>(() => StyleJob.Run(Spec(temp, iterations: 50), JobContext.None, Observe, cancel.Token));
        JobFailed failed = Assert.IsType<JobFailed>(events[^1]);
        Assert.Equal("cancelled", failed.Reason);
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(temp.File("out.json")));
        Assert.False(manifest.RootElement.GetProperty("completed").GetBoolean());
        Assert.True(File.Exists(temp.File("out.state")));
        Assert.False(File.Exists(temp.File("out.png")));
    }

    [Fact]
    public void A_spec_that_cannot_run_fails_before_any_work_with_a_reason()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("out.png"), "mine");
        var events = new List<JobEvent>();
        var e = Assert.Throws<JobSpecException>(() => StyleJob.Run(Spec(temp), JobContext.None, events.Add));
        Assert.Contains("out.png already exists (use --overwrite to replace it)", e.Message, StringComparison.Ordinal);
        Assert.Equal(e.Message, Assert.IsType<JobFailed>(Assert.Single(events)).Reason);
        Assert.Equal("mine", File.ReadAllText(temp.File("out.png")));
    }

    [Fact]
    public void The_manifest_records_the_spec_with_the_seed_it_drew_and_reads_back()
    {
        using var temp = new TempDirectory();
        StyleJobSpec spec = Spec(temp) with { Settings = Spec(temp).Settings with { Seed = null } };
        StyleJob.Run(spec, JobContext.None);
        RunRecord record = RunRecord.Load(temp.File("out.json"));
        Assert.NotNull(record.Spec.Settings.Seed);
        // The picture settings are recorded resolved: the tiny VGG has none of its own, so the seed's.
        Assert.Equal(spec with { Settings = spec.Settings with { Seed = record.Spec.Settings.Seed }, Picture = PictureChoice.Seed }, record.Spec, SpecComparer.Instance);
        Assert.Equal(Path.GetFullPath(temp.File("out.state")), record.StatePath);
    }

    [Fact]
    public void A_manifest_without_a_spec_is_refused_with_a_reason()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("old.json"), """{"tool":"neural-style","arguments":[],"state":null}""");
        var e = Assert.Throws<JobSpecException>(() => RunRecord.Load(temp.File("old.json")));
        Assert.Contains("records no job specification", e.Message, StringComparison.Ordinal);
        File.WriteAllText(temp.File("bad.json"), "{");
        Assert.Contains("is not a neural-style run manifest", Assert.Throws<JobSpecException>(() => RunRecord.Load(temp.File("bad.json"))).Message, StringComparison.Ordinal);
    }

    // Records compare their lists by reference; the JSON text compares them by value.
    private sealed class SpecComparer : IEqualityComparer<StyleJobSpec>
    {
        public static SpecComparer Instance { get; } = new();

        public bool Equals(StyleJobSpec? x, StyleJobSpec? y) => JsonSerializer.Serialize(x) == JsonSerializer.Serialize(y);

        public int GetHashCode(StyleJobSpec obj) => JsonSerializer.Serialize(obj).GetHashCode(StringComparison.Ordinal);
    }
}
