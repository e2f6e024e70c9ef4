using NeuralStyle.Backbones;
using NeuralStyle.Jobs;
using NeuralStyle.Weights.Cache;
using Xunit;

namespace NeuralStyle.Tests.Weights.Cache;

/// <summary><c>--network NAME</c> of a known weight file: resolved to the verified copy, or the command that fetches it.</summary>
public class NetworkNameTests
{
    private static readonly byte[] Data = CacheFixture.Data(100_000, seed: 5);

    private static void Catalog(CacheFixture fixture) =>
        UserCatalog.Add(fixture.Locations.CatalogFile, CacheFixture.Entry(Data, "http://127.0.0.1:9/never-used.pth"));

    [Fact]
    public void AKnownNameResolvesToTheVerifiedCopy()
    {
        using var fixture = new CacheFixture();
        Catalog(fixture);
        File.WriteAllBytes(Path.Combine(fixture.Locations.CacheDirectory, "test-net-1234.pth"), Data);

        BackboneSelection selection = BackboneSelection.Resolve("test-net", environment: fixture.Environment);

        Assert.Equal(Path.Combine(fixture.Locations.CacheDirectory, "test-net-1234.pth"), selection.Path);
        Assert.Equal(BackboneOrigin.WeightsCache, selection.Origin);
        Assert.Equal("--network test-net, verified in the weights cache", selection.Source);
        Assert.Null(selection.ZooModel);
    }

    [Fact]
    public void TorchHubsCopyIsUsedWhenOursIsMissing()
    {
        using var fixture = new CacheFixture();
        Catalog(fixture);
        Directory.CreateDirectory(fixture.Locations.TorchHubCheckpoints);
        File.WriteAllBytes(Path.Combine(fixture.Locations.TorchHubCheckpoints, "test-net-1234.pth"), Data);

        BackboneSelection selection = BackboneSelection.Resolve("test-net", environment: fixture.Environment);

        Assert.Equal(Path.Combine(fixture.Locations.TorchHubCheckpoints, "test-net-1234.pth"), selection.Path);
        Assert.Equal("--network test-net, verified in torch.hub's cache", selection.Source);
    }

    [Fact]
    public void AMissingFileGivesTheExactFetchCommand()
    {
        using var fixture = new CacheFixture();

        var e = Assert.Throws<JobSpecException>(() => BackboneSelection.Resolve("vgg19", environment: fixture.Environment));

        Assert.Equal($"--network vgg19: vgg19-dcbb9e9d.pth is not in the weights cache ({fixture.Locations.CacheDirectory}) nor in torch.hub's cache; fetch it with: neural-style weights fetch vgg19 (or add --download)", e.Message);
    }

    [Fact]
    public void ACopyFailingItsCheckIsNamedAndNotUsed()
    {
        using var fixture = new CacheFixture();
        Catalog(fixture);
        File.WriteAllBytes(Path.Combine(fixture.Locations.CacheDirectory, "test-net-1234.pth"), Data[..1000]);

        var e = Assert.Throws<JobSpecException>(() => BackboneSelection.Resolve("test-net", environment: fixture.Environment));

        Assert.Contains("a copy fails its check and is not used", e.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256 mismatch", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("fetch it with: neural-style weights fetch test-net (or add --download)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithWeightsOrWhenListingLayersVgg19StaysTheZooModel()
    {
        using var fixture = new CacheFixture();
        string weights = Path.Combine(fixture.Root, "state.pth");
        File.WriteAllBytes(weights, [1]);

        BackboneSelection zoo = BackboneSelection.Resolve("vgg19", weights, environment: fixture.Environment);
        Assert.Equal((BackboneOrigin.ZooWeights, "vgg19"), (zoo.Origin, zoo.ZooModel));

        BackboneSelection layers = BackboneSelection.Resolve("vgg19", requireWeights: false, environment: fixture.Environment);
        Assert.Equal(BackboneOrigin.ZooRandomWeights, layers.Origin);
    }

    [Fact]
    public void AKnownNameThatIsNoZooModelIsResolvedWhenListingLayersToo()
    {
        using var fixture = new CacheFixture();
        var e = Assert.Throws<JobSpecException>(() => BackboneSelection.Resolve("vgg19-matconvnet", requireWeights: false, environment: fixture.Environment));
        Assert.Contains("neural-style weights fetch vgg19-matconvnet", e.Message, StringComparison.Ordinal);
    }
}
