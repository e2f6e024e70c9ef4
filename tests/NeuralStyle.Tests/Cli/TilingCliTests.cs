using System.Text.Json;
using NeuralStyle.Backbones;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>Issue 15 from the command line: <c>--tile</c> prints how the run is tiled in one line and records it in the manifest; a tile too small is a usage error.</summary>
public class TilingCliTests
{
    [Fact]
    public void A_tiled_multi_scale_run_says_how_it_tiles_and_records_it()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke(
            "--network", BundledResNet18.DefaultPath, "--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"),
            "--width", "600", "--iterations", "2", "--scales", "2", "--coarse-iterations", "2", "--seed", "3", "--tile", "256", "--output", temp.File("o.png"));
        Assert.True(run.ExitCode == 0, run.Error);
        string line = Assert.Single(run.ErrorLines, l => l.StartsWith("Tiling: ", StringComparison.Ordinal));
        Assert.Matches(@"^Tiling: 600x\d+ in 2x3 blocks of 256 px \+ 160 px margin \(largest \d+x\d+\), estimated peak \d+ MiB \(--tile\)$", line);
        Assert.True(File.Exists(temp.File("o.png")));

        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(temp.File("o.json")));
        JsonElement tiling = manifest.RootElement.GetProperty("options").GetProperty("tiling");
        Assert.True(tiling.GetProperty("used").GetBoolean());
        Assert.Equal(256, tiling.GetProperty("tile").GetInt32());
        Assert.Equal(160, tiling.GetProperty("margin").GetInt32());
        Assert.Equal("--tile", tiling.GetProperty("chosenBy").GetString());

        // The coarse scale (150 px wide) is smaller than the tile and runs untiled; the final one is tiled.
        Assert.Equal([null, 256], tiling.GetProperty("scaleTiles").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (int?)null : e.GetInt32()));
    }

    [Fact]
    public void A_tile_below_the_minimum_is_a_usage_error()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke("--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"), "--tile", "16", "--output", temp.File("o.png"));
        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("neural-style: error: ", line, StringComparison.Ordinal);
        Assert.Contains("tile", line, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("o.png")));
    }
}
