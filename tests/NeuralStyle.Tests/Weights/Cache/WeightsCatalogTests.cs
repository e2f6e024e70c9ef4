using NeuralStyle.Weights.Cache;
using Xunit;

namespace NeuralStyle.Tests.Weights.Cache;

/// <summary>The built-in catalog and the user's catalog.json.</summary>
public class WeightsCatalogTests
{
    [Fact]
    public void TheBuiltInEntriesCarryThePublishedFacts()
    {
        WeightsCatalog catalog = WeightsCatalog.From([]);
        Assert.Equal(["vgg19", "vgg19-caffe", "vgg19-caffe-pth", "vgg19-matconvnet"], catalog.Entries.Select(e => e.Name));
        WeightsEntry torchvision = catalog.Find("VGG19")!;
        Assert.Equal(574_673_361, torchvision.Size);
        Assert.StartsWith(torchvision.FileName[6..14], torchvision.Verification.Sha256, StringComparison.Ordinal);
        Assert.Equal("b5c644beabd7cf06bdd9065cfd674c97", catalog.Find("vgg19-caffe")!.Verification.Md5);
        Assert.True(catalog.Find("vgg19-caffe")!.Verification.NeedsMd5);
        Assert.Equal("d01eb7cb", catalog.Find("vgg19-caffe-pth")!.Verification.Sha256Prefix);
        WeightsEntry mat = catalog.Find("vgg19-matconvnet")!;
        Assert.Equal(534_904_783, mat.Size);
        Assert.Equal(2, mat.Urls.Count);
        Assert.StartsWith("https://", mat.Urls[0], StringComparison.Ordinal);
        Assert.StartsWith("http://", mat.Urls[1], StringComparison.Ordinal);
        Assert.All(catalog.Entries, e => Assert.True(UserCatalog.IsValidName(e.Name)));
    }

    [Fact]
    public void AUserCatalogExtendsAndReplacesTheBuiltInList()
    {
        using var fixture = new CacheFixture();
        Directory.CreateDirectory(fixture.Locations.CacheDirectory);
        File.WriteAllText(fixture.Locations.CatalogFile, """
            { "weights": [
                { "name": "vgg19", "file": "vgg19-dcbb9e9d.pth", "sha256": "DCBB9E9DAD569FFF7A846263A77324FC34978FEA2BFB039C012D710E1776AE44",
                  "urls": ["https://mirror.studio.example/vgg19-dcbb9e9d.pth"] },
                { "name": "studio-net", "file": "studio.safetensors", "md5": "00112233445566778899aabbccddeeff", "size": 42 }
            ] }
            """);

        WeightsCatalog catalog = WeightsCatalog.Load(fixture.Locations);

        Assert.Equal(["vgg19", "vgg19-caffe", "vgg19-caffe-pth", "vgg19-matconvnet", "studio-net"], catalog.Entries.Select(e => e.Name));
        Assert.Equal(["https://mirror.studio.example/vgg19-dcbb9e9d.pth"], catalog.Find("vgg19")!.Urls);
        Assert.False(catalog.Find("vgg19")!.BuiltIn);
        WeightsEntry studio = catalog.Find("studio-net")!;
        Assert.Equal("safetensors", studio.Format);
        Assert.Equal(42, studio.Size);
        Assert.True(studio.Verification.NeedsMd5);
    }

    [Theory]
    [InlineData("{ \"weights\": [ ", "not valid JSON")]
    [InlineData("[]", "expected an object with a \"weights\" array")]
    [InlineData("{ \"weights\": [ { \"file\": \"a.pth\", \"sha256\": \"00\" } ] }", "weights[0]: \"name\" is missing")]
    [InlineData("{ \"weights\": [ { \"name\": \"a\", \"file\": \"a.pth\" } ] }", "weights[0] (\"a\"): give \"sha256\"")]
    [InlineData("{ \"weights\": [ { \"name\": \"a\", \"file\": \"a.pth\", \"sha256\": \"xyz\" } ] }", "\"sha256\" must be 64 hexadecimal digits")]
    [InlineData("{ \"weights\": [ { \"name\": \"a.b\", \"file\": \"a.pth\" } ] }", "\"name\" may hold only letters, digits")]
    [InlineData("{ \"weights\": [ { \"name\": \"a\", \"file\": \"../a.pth\", \"sha256Prefix\": \"0011aabb\" } ] }", "\"file\" must be a plain file name")]
    [InlineData("{ \"weights\": [ { \"name\": \"a\", \"file\": \"a.pth\", \"sha256Prefix\": \"0011aabb\", \"urls\": [\"ftp://x/a\"] } ] }", "is not an http or https URL")]
    [InlineData("{ \"weights\": [ { \"name\": \"a\", \"file\": \"a.pth\", \"sha256Prefix\": \"0011aabb\", \"size\": -1 } ] }", "\"size\" must be a non-negative integer")]
    public void ABadCatalogIsOneLineNamingTheFileAndTheProblem(string json, string problem)
    {
        using var fixture = new CacheFixture();
        Directory.CreateDirectory(fixture.Locations.CacheDirectory);
        File.WriteAllText(fixture.Locations.CatalogFile, json);

        var e = Assert.Throws<WeightsCatalogException>(() => WeightsCatalog.Load(fixture.Locations));

        Assert.StartsWith(fixture.Locations.CatalogFile + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AddedEntriesAreReadBack()
    {
        using var fixture = new CacheFixture();
        WeightsEntry entry = WeightsCache.UserEntry("mine", "https://example.org/models/my%20net.pth", new string('A', 64));
        UserCatalog.Add(fixture.Locations.CatalogFile, entry);
        UserCatalog.Add(fixture.Locations.CatalogFile, entry with { Urls = ["https://example.org/other.pth"] });

        WeightsEntry back = Assert.Single(UserCatalog.Read(fixture.Locations.CatalogFile));

        Assert.Equal("my net.pth", back.FileName);
        Assert.Equal(new string('a', 64), back.Verification.Sha256);
        Assert.Equal(["https://example.org/other.pth"], back.Urls);
    }

    [Fact]
    public void AUserEntryCannotTakeABuiltInName()
    {
        var e = Assert.Throws<ArgumentException>(() => WeightsCache.UserEntry("vgg19", "https://example.org/x.pth", new string('a', 64)));
        Assert.Contains("built-in", e.Message, StringComparison.Ordinal);
    }
}
