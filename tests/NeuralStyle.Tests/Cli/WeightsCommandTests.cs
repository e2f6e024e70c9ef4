using System.Text.Json;
using NeuralStyle.Tests.Support;
using NeuralStyle.Tests.Weights.Cache;
using NeuralStyle.Weights.Cache;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary><c>neural-style weights list|fetch|verify</c> and <c>--network NAME [--download]</c>, end to end through NeuralStyleApp.Run.</summary>
public class WeightsCommandTests
{
    private static readonly byte[] Data = CacheFixture.Data(250_000, seed: 7);

    private static void Catalog(CacheFixture fixture, string url, string sha256, string name = "test-net", string file = "test-net-1234.pth") =>
        File.WriteAllText(
            Directory.CreateDirectory(fixture.Locations.CacheDirectory).FullName + "/catalog.json",
            $$"""{ "weights": [ { "name": "{{name}}", "file": "{{file}}", "format": "pth", "architecture": "vgg19", "sha256": "{{sha256}}", "urls": ["{{url}}"], "licence": "test licence", "input": "test input" } ] }""");

    [Fact]
    public void ListShowsEveryKnownFileAndWhereItIs()
    {
        using var fixture = new CacheFixture();
        Directory.CreateDirectory(fixture.Locations.TorchHubCheckpoints);
        File.WriteAllBytes(Path.Combine(fixture.Locations.TorchHubCheckpoints, "vgg19-dcbb9e9d.pth"), [1, 2, 3]);
        Directory.CreateDirectory(fixture.Locations.PartialDirectory);
        File.WriteAllBytes(Path.Combine(fixture.Locations.PartialDirectory, "VGG_ILSVRC_19_layers.caffemodel.partial"), new byte[1234]);

        CliRun text = CliRun.InvokeWith(fixture.Environment, "weights", "list");
        CliRun json = CliRun.InvokeWith(fixture.Environment, "weights", "list", "--json");

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("vgg19-matconvnet  imagenet-vgg-verydeep-19.mat  (mat, vgg19, 534,904,783 bytes)", text.Output, StringComparison.Ordinal);
        Assert.Contains("  mirror:   http://www.vlfeat.org/matconvnet/models/imagenet-vgg-verydeep-19.mat", text.Output, StringComparison.Ordinal);
        Assert.Contains("  check:    MD5 b5c644beabd7cf06bdd9065cfd674c97 and the size", text.Output, StringComparison.Ordinal);
        Assert.Contains($"  present:  {Path.Combine(fixture.Locations.TorchHubCheckpoints, "vgg19-dcbb9e9d.pth")} (torch.hub, not checked yet)", text.Output, StringComparison.Ordinal);
        Assert.Contains("  present:  no (neural-style weights fetch vgg19-caffe)", text.Output, StringComparison.Ordinal);
        Assert.Contains($"weights cache: {fixture.Locations.CacheDirectory}", text.Output, StringComparison.Ordinal);
        Assert.Contains("VGG_ILSVRC_19_layers.caffemodel.partial (1,234 bytes; `neural-style weights fetch vgg19-caffe` resumes it)", text.Output, StringComparison.Ordinal);

        Assert.True(json.ExitCode == 0, json.Error);
        using JsonDocument doc = JsonDocument.Parse(json.Output);
        Assert.Equal(fixture.Locations.CacheDirectory, doc.RootElement.GetProperty("cache").GetString());
        JsonElement[] weights = [.. doc.RootElement.GetProperty("weights").EnumerateArray()];
        Assert.Equal(["vgg19", "vgg19-caffe", "vgg19-caffe-pth", "vgg19-matconvnet"], weights.Select(w => w.GetProperty("name").GetString()));
        Assert.Equal("dcbb9e9dad569fff7a846263a77324fc34978fea2bfb039c012d710e1776ae44", weights[0].GetProperty("sha256").GetString());
        Assert.Equal(574_673_361, weights[0].GetProperty("size").GetInt64());
        Assert.Equal("torchhub", weights[0].GetProperty("copies")[0].GetProperty("place").GetString());
        Assert.Equal(0, weights[1].GetProperty("copies").GetArrayLength());
        Assert.Equal(1234, weights[1].GetProperty("partialBytes").GetInt64());
        Assert.Equal(JsonValueKind.Null, weights[0].GetProperty("partialBytes").ValueKind);
    }

    [Fact]
    public void FetchDownloadsThenSaysItIsAlreadyThere()
    {
        using var fixture = new CacheFixture();
        TestHttpServer server = null!;
        server = new TestHttpServer((request, stream, _) => server.SendFile(request, stream, Data));
        using (server)
        {
            Catalog(fixture, server.Url("/w.pth"), CacheFixture.Sha256(Data));
            string path = Path.Combine(fixture.Locations.CacheDirectory, "test-net-1234.pth");

            CliRun first = CliRun.InvokeWith(fixture.Environment, "weights", "fetch", "test-net", "--timeout", "2");
            CliRun second = CliRun.InvokeWith(fixture.Environment, "weights", "fetch", "test-net");

            Assert.True(first.ExitCode == 0, first.Error);
            Assert.Equal($"test-net: {path}", first.Output.Trim());
            Assert.Equal($"Downloading {server.Url("/w.pth")}", first.ErrorLines[0]);
            Assert.Contains(first.ErrorLines, l => l == $"  verified: SHA-256 {CacheFixture.Sha256(Data)}, 250,000 bytes");
            // Redirected: a few plain lines, no carriage returns.
            Assert.InRange(first.ErrorLines.Length, 2, 6);
            Assert.DoesNotContain('\r', first.Error);
            Assert.Equal(Data, File.ReadAllBytes(path));

            Assert.True(second.ExitCode == 0, second.Error);
            Assert.Contains("test-net is already in the weights cache, verified", second.Error, StringComparison.Ordinal);
            Assert.Single(server.Requests);
        }
    }

    [Fact]
    public void FetchFailuresAreOneLineWithExitOne()
    {
        using var fixture = new CacheFixture();
        using var server = new TestHttpServer((_, stream, _) => TestHttpServer.SendStatus(stream, 404, "Not Found"));
        Catalog(fixture, server.Url("/gone.pth"), CacheFixture.Sha256(Data));

        CliRun run = CliRun.InvokeWith(fixture.Environment, "weights", "fetch", "test-net");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"neural-style: error: cannot fetch test-net (test-net-1234.pth): {server.Url("/gone.pth")}: HTTP 404 Not Found", run.ErrorLines[^1]);
    }

    [Fact]
    public void FetchUrlAddsTheFileToTheCatalog()
    {
        using var fixture = new CacheFixture();
        TestHttpServer server = null!;
        server = new TestHttpServer((request, stream, _) => server.SendFile(request, stream, Data));
        using (server)
        {
            CliRun run = CliRun.InvokeWith(fixture.Environment, "weights", "fetch", "--url", server.Url("/models/studio-vgg.pth"), "--sha256", CacheFixture.Sha256(Data), "--name", "studio-vgg");
            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Equal($"studio-vgg: {Path.Combine(fixture.Locations.CacheDirectory, "studio-vgg.pth")}", run.Output.Trim());

            CliRun list = CliRun.InvokeWith(fixture.Environment, "weights", "list");
            Assert.Contains("studio-vgg  studio-vgg.pth  (pth, unknown, 250,000 bytes), from catalog.json", list.Output, StringComparison.Ordinal);
            Assert.Contains("(weights cache, verified)", list.Output, StringComparison.Ordinal);

            CliRun verify = CliRun.InvokeWith(fixture.Environment, "weights", "verify", "studio-vgg");
            Assert.True(verify.ExitCode == 0, verify.Error);
            Assert.StartsWith($"OK studio-vgg {Path.Combine(fixture.Locations.CacheDirectory, "studio-vgg.pth")}: SHA-256 {CacheFixture.Sha256(Data)}", verify.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("weights", "fetch", "nope")]
    [InlineData("weights", "fetch")]
    [InlineData("weights", "fetch", "--url", "http://127.0.0.1:9/x.pth", "--name", "x")]
    [InlineData("weights", "fetch", "--url", "http://127.0.0.1:9/x.pth", "--sha256", "abc", "--name", "x")]
    [InlineData("weights", "fetch", "vgg19", "--timeout", "0")]
    [InlineData("weights", "fetch", "vgg19", "--mirror", "file:///etc/passwd")]
    [InlineData("weights")]
    public void UsageMistakesExitTwo(params string[] args)
    {
        using var fixture = new CacheFixture();
        CliRun run = CliRun.InvokeWith(fixture.Environment, args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("neural-style: error: ", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyReportsOkMismatchAndUnknownFiles()
    {
        using var fixture = new CacheFixture();
        Catalog(fixture, "http://127.0.0.1:9/w.pth", CacheFixture.Sha256(Data));
        string good = Path.Combine(fixture.Root, "test-net-1234.pth");
        File.WriteAllBytes(good, Data);
        string bad = Path.Combine(fixture.Root, "sub", "test-net-1234.pth");
        Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
        byte[] damaged = (byte[])Data.Clone();
        damaged[0] ^= 1;
        File.WriteAllBytes(bad, damaged);
        string unknown = Path.Combine(fixture.Root, "other.bin");
        File.WriteAllBytes(unknown, [1, 2, 3]);

        CliRun ok = CliRun.InvokeWith(fixture.Environment, "weights", "verify", good);
        CliRun mismatch = CliRun.InvokeWith(fixture.Environment, "weights", "verify", bad);
        CliRun other = CliRun.InvokeWith(fixture.Environment, "weights", "verify", unknown);
        CliRun absent = CliRun.InvokeWith(fixture.Environment, "weights", "verify", "test-net");

        Assert.Equal((0, $"OK test-net {good}: SHA-256 {CacheFixture.Sha256(Data)}"), (ok.ExitCode, ok.Output.Trim()));
        Assert.Equal(1, mismatch.ExitCode);
        Assert.Equal($"neural-style: error: {bad} is not test-net's file: SHA-256 mismatch: expected {CacheFixture.Sha256(Data)}, got {CacheFixture.Sha256(damaged)}", Assert.Single(mismatch.ErrorLines));
        Assert.Equal(0, other.ExitCode);
        Assert.Contains($"SHA-256 {CacheFixture.Sha256([1, 2, 3])}", other.Output, StringComparison.Ordinal);
        Assert.Contains("not in the catalog", other.Output, StringComparison.Ordinal);
        Assert.Equal(1, absent.ExitCode);
        Assert.Contains("fetch it with: neural-style weights fetch test-net", Assert.Single(absent.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void ABadCatalogIsOneLineNamingTheFile()
    {
        using var fixture = new CacheFixture();
        Directory.CreateDirectory(fixture.Locations.CacheDirectory);
        File.WriteAllText(fixture.Locations.CatalogFile, "{ \"weights\": 3 }");

        CliRun run = CliRun.InvokeWith(fixture.Environment, "weights", "list");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"neural-style: error: {fixture.Locations.CatalogFile}: expected an object with a \"weights\" array", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void AStyleRunWithAMissingKnownNetworkGivesTheFetchCommand()
    {
        using var fixture = new CacheFixture();
        using var temp = new TempDirectory();

        CliRun run = CliRun.InvokeWith(fixture.Environment, "--content", Fixtures.TinyVgg("content.png"), "--styles", Fixtures.TinyVgg("style1.png"), "--output", temp.File("o.png"), "--network", "vgg19");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"neural-style: error: --network vgg19: vgg19-dcbb9e9d.pth is not in the weights cache ({fixture.Locations.CacheDirectory}) nor in torch.hub's cache; fetch it with: neural-style weights fetch vgg19 (or add --download)", Assert.Single(run.ErrorLines));
        Assert.False(File.Exists(temp.File("o.png")));
    }

    [Fact]
    public void DownloadFetchesAMissingNetworkThenTheRunUsesIt()
    {
        using var fixture = new CacheFixture();
        using var temp = new TempDirectory();
        byte[] mat = File.ReadAllBytes(Fixtures.TinyVgg("tiny-vgg-old.mat"));
        TestHttpServer server = null!;
        server = new TestHttpServer((request, stream, _) => server.SendFile(request, stream, mat));
        using (server)
        {
            Catalog(fixture, server.Url("/tiny.mat"), CacheFixture.Sha256(mat), name: "tiny-vgg", file: "tiny-vgg.mat");
            string[] args = ["--content", Fixtures.TinyVgg("content.png"), "--styles", Fixtures.TinyVgg("style1.png"), "--output", temp.File("o.png"), "--network", "tiny-vgg", "--iterations", "2", "--threads", "1", "--overwrite"];

            CliRun without = CliRun.InvokeWith(fixture.Environment, args);
            Assert.Empty(server.Requests);
            CliRun with = CliRun.InvokeWith(fixture.Environment, [.. args, "--download"]);
            CliRun again = CliRun.InvokeWith(fixture.Environment, [.. args, "--download"]);

            Assert.Equal(2, without.ExitCode);
            Assert.True(with.ExitCode == 0, with.Error);
            string cached = Path.Combine(fixture.Locations.CacheDirectory, "tiny-vgg.mat");
            Assert.Equal($"--network tiny-vgg: tiny-vgg.mat is in no cache; fetching it into {fixture.Locations.CacheDirectory}", with.ErrorLines[0]);
            Assert.Contains($"tiny-vgg: {cached}", with.ErrorLines);
            Assert.Contains(with.ErrorLines, l => l.StartsWith("Network: ", StringComparison.Ordinal) && l.Contains($"from {cached} (--network tiny-vgg, verified in the weights cache)", StringComparison.Ordinal));
            Assert.True(File.Exists(temp.File("o.png")));
            Assert.True(again.ExitCode == 0, again.Error);
            Assert.StartsWith("Network: ", again.ErrorLines[0], StringComparison.Ordinal);
            Assert.Single(server.Requests);
        }
    }

    [Fact]
    public void AKnownNetworkInTorchHubsCacheRunsAsATorchvisionVgg()
    {
        using var fixture = new CacheFixture();
        using var temp = new TempDirectory();
        string source = Path.Combine(Fixtures.Root, "vggsources", "tiny-vgg-tv-legacy.pth");
        Catalog(fixture, "http://127.0.0.1:9/never-used.pth", CacheFixture.Sha256(File.ReadAllBytes(source)), name: "tiny-tv", file: "tiny-tv-0123abcd.pth");
        Directory.CreateDirectory(fixture.Locations.TorchHubCheckpoints);
        string hub = Path.Combine(fixture.Locations.TorchHubCheckpoints, "tiny-tv-0123abcd.pth");
        File.Copy(source, hub);

        CliRun run = CliRun.InvokeWith(fixture.Environment, "--content", Fixtures.TinyVgg("content.png"), "--styles", Fixtures.TinyVgg("style1.png"), "--output", temp.File("o.png"), "--network", "tiny-tv", "--iterations", "2", "--threads", "1");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("Network: ", run.ErrorLines[0], StringComparison.Ordinal);
        Assert.EndsWith($"from {hub} (--network tiny-tv, verified in torch.hub's cache)", run.ErrorLines[0], StringComparison.Ordinal);
        Assert.True(File.Exists(temp.File("o.png")));
    }

    [Fact]
    public void ConvertIsASubcommandOfWeights()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke("weights", "convert", Fixtures.TinyVgg("tiny-vgg-old.mat"), temp.File("tiny.safetensors"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("Converted ", run.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.File("tiny.safetensors")));
    }

    [Fact]
    public void DownloadWithoutAKnownNetworkIsAUsageError()
    {
        using var fixture = new CacheFixture();
        using var temp = new TempDirectory();
        CliRun run = CliRun.InvokeWith(fixture.Environment, "--content", Fixtures.TinyVgg("content.png"), "--styles", Fixtures.TinyVgg("style1.png"), "--output", temp.File("o.png"), "--download");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--download goes with --network NAME", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }
}
