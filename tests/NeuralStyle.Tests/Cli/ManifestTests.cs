using System.Security.Cryptography;
using System.Text.Json;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

public class ManifestTests
{
    [Fact]
    public void EveryRunWritesAManifestNextToItsOutput()
    {
        using var temp = new TempDirectory();
        string network = Fixtures.TinyVgg("tiny-vgg-current.mat");
        CliRun run = CliRun.Invoke(["--network", network, "--content", Fixtures.TinyVgg("content.png"), "--styles", Fixtures.TinyVgg("style1.png"),
            "--output", temp.File("final.png"), "--checkpoint-output", temp.File("c%s.png"), "--iterations", "7",
            "--checkpoint-iterations", "3", "--print-iterations", "2", "--seed", "5", "--learning-rate", "4"]);
        Assert.True(run.ExitCode == 0, run.Error);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(temp.File("final.json")));
        JsonElement m = doc.RootElement;
        Assert.True(m.GetProperty("completed").GetBoolean());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(network))), m.GetProperty("network").GetProperty("sha256").GetString());
        Assert.Equal(new FileInfo(network).Length, m.GetProperty("network").GetProperty("bytes").GetInt64());

        JsonElement settings = m.GetProperty("options").GetProperty("settings");
        Assert.Equal(4.0, settings.GetProperty("learningRate").GetDouble());
        Assert.Equal(5, settings.GetProperty("seed").GetInt64());
        Assert.Equal("relu4_2", settings.GetProperty("contentLayers")[0].GetProperty("layer").GetString());
        Assert.Equal(5, settings.GetProperty("styleLayers").GetArrayLength());

        // Checkpoints at i = 0 and 3 (c0, c3), i = 6 is the last iteration: the final image.
        var checkpoints = m.GetProperty("checkpoints").EnumerateArray().ToList();
        Assert.Equal([0, 3, -1], checkpoints.Select(c => c.GetProperty("checkpointIteration").ValueKind == JsonValueKind.Null ? -1 : c.GetProperty("checkpointIteration").GetInt32()));
        Assert.EndsWith("final.png", checkpoints[^1].GetProperty("file").GetString());
        Assert.All(checkpoints, c => Assert.True(c.GetProperty("bestLoss").GetDouble() > 0));

        // Losses printed at i % 2 == 0 (iterations 1, 3, 5, 7) are the same numbers the console shows.
        var losses = m.GetProperty("losses").EnumerateArray().ToList();
        SeedConsoleOutput console = SeedConsoleOutput.Parse(run.ErrorLines, out _);
        Assert.Equal(console.Printed.Select(p => p.Iteration), losses.Select(l => l.GetProperty("iteration").GetInt32()));
        Assert.Equal(console.Printed[^1].Total, losses[^1].GetProperty("total").GetDouble(), console.Printed[^1].Total * 1e-5);

        Assert.Contains("TorchSharp", m.GetProperty("libraries").EnumerateObject().Select(p => p.Name));
        Assert.True(m.GetProperty("wallSeconds").GetDouble() > 0);
        Assert.True(m.GetProperty("peakMemoryBytes").GetInt64() > 0);
        Assert.Contains("--seed", m.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public void AnExistingManifestIsNotOverwrittenWithoutTheFlag()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("o.json"), "{}");
        CliRun run = CliRun.Invoke(["--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
            "--styles", Fixtures.TinyVgg("style1.png"), "--output", temp.File("o.png"), "--iterations", "1"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("o.json already exists", run.ErrorLines.Single());
        Assert.Equal("{}", File.ReadAllText(temp.File("o.json")));
    }
}
