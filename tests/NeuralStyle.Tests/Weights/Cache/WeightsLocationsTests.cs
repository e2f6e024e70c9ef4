using NeuralStyle.Weights.Cache;
using Xunit;

namespace NeuralStyle.Tests.Weights.Cache;

/// <summary>The cache locations from the environment (given to each test, never set process-wide).</summary>
public class WeightsLocationsTests
{
    private static WeightsLocations From(params (string Name, string Value)[] variables) =>
        WeightsLocations.From(WeightsEnvironment.From(variables.ToDictionary(v => v.Name, v => v.Value)));

    [Fact]
    public void NeuralStyleHomeComesFirst()
    {
        WeightsLocations l = From(("NEURAL_STYLE_HOME", "/data/ns"), ("XDG_CACHE_HOME", "/xdg"), ("HOME", "/home/u"));
        Assert.Equal("/data/ns", l.CacheDirectory);
        Assert.Equal("/xdg/torch/hub/checkpoints", l.TorchHubCheckpoints);
        Assert.Equal("/data/ns/partial", l.PartialDirectory);
        Assert.Equal("/data/ns/catalog.json", l.CatalogFile);
    }

    [Fact]
    public void XdgCacheHomeIsNext()
    {
        WeightsLocations l = From(("XDG_CACHE_HOME", "/xdg"), ("HOME", "/home/u"));
        Assert.Equal("/xdg/neural-style", l.CacheDirectory);
    }

    [Fact]
    public void ThenTheHomeDirectorysDotCache()
    {
        WeightsLocations l = From(("HOME", "/home/u"));
        Assert.Equal("/home/u/.cache/neural-style", l.CacheDirectory);
        Assert.Equal("/home/u/.cache/torch/hub/checkpoints", l.TorchHubCheckpoints);
    }

    [Fact]
    public void EmptyAndRelativeXdgValuesAreIgnored()
    {
        Assert.Equal("/home/u/.cache/neural-style", From(("XDG_CACHE_HOME", "relative/dir"), ("HOME", "/home/u")).CacheDirectory);
        Assert.Equal("/home/u/.cache/neural-style", From(("XDG_CACHE_HOME", ""), ("NEURAL_STYLE_HOME", ""), ("HOME", "/home/u")).CacheDirectory);
    }

    [Fact]
    public void TorchHomeMovesTorchHubsCache()
    {
        WeightsLocations l = From(("TORCH_HOME", "/opt/torch"), ("HOME", "/home/u"));
        Assert.Equal("/opt/torch/hub/checkpoints", l.TorchHubCheckpoints);
        Assert.Equal("/home/u/.cache/neural-style", l.CacheDirectory);
    }
}
