using System.Text.Json;
using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Jobs;

/// <summary>A checkpoint whose state or manifest cannot be written (a full disk) leaves the previous checkpoint to resume from.</summary>
public class ManifestRecorderTests
{
    private static readonly TransferStateOrigin Origin = new(new string('b', 64), "/nets/tiny.mat", 2, 2, new Dictionary<string, string> { ["--optimizer"] = "adam" });

    [Fact]
    public void AStateThatCannotBeWrittenLeavesThePreviousStateAndManifest()
    {
        using var temp = new TempDirectory();
        string? failOn = null;
        var recorder = Recorder(temp, (path, s) => path == failOn ? new FullDiskStream(s, 64) : s);
        Checkpoint(recorder, 5);
        byte[] state = File.ReadAllBytes(temp.File("out.state")), manifest = File.ReadAllBytes(temp.File("out.json"));

        failOn = temp.File("out.state");
        IOException e = Assert.Throws<IOException>(() => Checkpoint(recorder, 10));

        Assert.Equal($"cannot write the run state {temp.File("out.state")}: {FullDiskStream.Message}", e.Message);
        Assert.Equal(["out.json", "out.state"], Files(temp));
        Assert.Equal(state, File.ReadAllBytes(temp.File("out.state")));
        // The manifest is written after the state, so it was not touched: it still points at the state of iteration 5.
        Assert.Equal(manifest, File.ReadAllBytes(temp.File("out.json")));
    }

    [Fact]
    public void AManifestThatCannotBeWrittenLeavesThePreviousManifestBehindANewerState()
    {
        using var temp = new TempDirectory();
        string? failOn = null;
        var recorder = Recorder(temp, (path, s) => path == failOn ? new FullDiskStream(s, 64) : s);
        Checkpoint(recorder, 5);
        byte[] manifest = File.ReadAllBytes(temp.File("out.json"));

        failOn = temp.File("out.json");
        IOException e = Assert.Throws<IOException>(() => Checkpoint(recorder, 10));

        Assert.Equal($"cannot write the run manifest {temp.File("out.json")}: {FullDiskStream.Message}", e.Message);
        Assert.Equal(["out.json", "out.state"], Files(temp));
        Assert.Equal(manifest, File.ReadAllBytes(temp.File("out.json")));
        using JsonDocument recorded = JsonDocument.Parse(manifest);
        Assert.Equal(5, recorded.RootElement.GetProperty("completedIterations").GetInt32());
        // The state the manifest points at is never older than the manifest: here it is one checkpoint ahead.
        using TransferState state = TransferStateFile.Read(temp.File("out.state"));
        Assert.Equal(10, state.CompletedIterations);
    }

    [Fact]
    public void ACheckpointWritesTheStateWithItsOriginAndNoTemporaryFiles()
    {
        using var temp = new TempDirectory();
        Checkpoint(Recorder(temp, null), 5);
        Assert.Equal(["out.json", "out.state"], Files(temp));
        using TransferState state = TransferStateFile.Read(temp.File("out.state"));
        Assert.Equal(Origin.NetworkSha256, state.Origin!.NetworkSha256);
    }

    private static string[] Files(TempDirectory temp) => [.. Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private static void Checkpoint(ManifestRecorder recorder, int iterations)
    {
        using var state = new TransferState
        {
            CompletedIterations = iterations,
            Image = full(new long[] { 1, 3, 2, 2 }, (float)iterations),
            Best = null,
            BestLoss = 1,
            AdamStep = iterations,
            AdamFirstMoment = zeros(1, 3, 2, 2),
            AdamSecondMoment = zeros(1, 3, 2, 2),
        };
        recorder.Record(new ImageProduced(iterations - 1, new RgbImage(2, 2), 1, TimeSpan.Zero) { State = state }, null);
    }

    private static ManifestRecorder Recorder(TempDirectory temp, Func<string, Stream, Stream>? wrap)
    {
        var spec = new StyleJobSpec { Content = "c.png", Styles = ["s.png"], Output = temp.File("out.png"), Settings = new StyleTransferSettings() };
        var manifest = new RunManifest
        {
            ToolVersion = "test",
            Arguments = [],
            Started = DateTimeOffset.UtcNow,
            Completed = false,
            Options = new { },
            Spec = spec,
            Network = new RunManifest.NetworkRecord("/nets/tiny.mat", "--network", "tiny", Origin.NetworkSha256, 1),
            Libraries = new Dictionary<string, string>(),
            Kernels = new RunManifest.KernelsRecord("default", "auto", true, "test", 0, 0, 0, "cpu", "sig", [], "warning"),
        };
        return new ManifestRecorder(temp.File("out.json"), manifest, Origin, wrap);
    }
}
