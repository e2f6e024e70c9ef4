using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Cache;
using Xunit;

namespace NeuralStyle.Tests.Weights.Cache;

/// <summary>The downloader against an in-process HTTP server on 127.0.0.1: resume, mirrors, hashes, failures.</summary>
public class WeightsDownloadTests
{
    private static readonly byte[] Data = CacheFixture.Data();

    [Fact]
    public async Task DownloadsVerifiesAndMovesIntoTheCacheThenDoesNothingTheSecondTime()
    {
        using var fixture = new CacheFixture();
        TestHttpServer server = null!;
        server = new TestHttpServer((request, stream, _) => server.SendFile(request, stream, Data));
        using (server)
        {
            WeightsEntry entry = CacheFixture.Entry(Data, server.Url("/w.pth"));
            var events = new List<DownloadEvent>();

            FetchResult result = await fixture.Cache().FetchAsync(entry, CacheFixture.Fast, events.Add);

            Assert.True(result.Downloaded);
            Assert.Equal(fixture.Locations.CachePathOf(entry), result.Weights.Path);
            Assert.Equal(Data, File.ReadAllBytes(result.Weights.Path));
            Assert.Empty(Directory.GetFiles(fixture.Locations.PartialDirectory));
            Assert.Contains(events, e => e is DownloadProgress { Received: 300_000, Total: 300_000 });
            Assert.Contains(events, e => e is DownloadCompleted);

            FetchResult again = await fixture.Cache().FetchAsync(entry, CacheFixture.Fast);
            Assert.False(again.Downloaded);
            Assert.Single(server.Requests);
        }
    }

    [Fact]
    public async Task ACutConnectionIsResumedWithARangeRequest()
    {
        using var fixture = new CacheFixture();
        int calls = 0;
        TestHttpServer server = null!;
        server = new TestHttpServer((request, stream, _) =>
            Interlocked.Increment(ref calls) == 1 ? server.SendFile(request, stream, Data, cutAt: 150_000) : server.SendFile(request, stream, Data));
        using (server)
        {
            var events = new List<DownloadEvent>();
            FetchResult result = await fixture.Cache().FetchAsync(CacheFixture.Entry(Data, server.Url("/w.pth")), CacheFixture.Fast, events.Add);

            TestRequest[] requests = [.. server.Requests];
            Assert.Equal(2, requests.Length);
            Assert.Null(requests[0].RangeStart);
            Assert.InRange(requests[1].RangeStart ?? 0, 1, 150_000);
            Assert.Equal(Data, File.ReadAllBytes(result.Weights.Path));
            Assert.Contains(events, e => e is DownloadRetrying);
            // The second response carried only the rest of the file.
            Assert.Equal(Data.Length, server.BytesSent - (150_000 - requests[1].RangeStart!.Value));
        }
    }

    [Fact]
    public async Task APartialFileLeftByAnEarlierRunIsResumed()
    {
        using var fixture = new CacheFixture();
        TestHttpServer server = null!;
        server = new TestHttpServer((request, stream, _) => server.SendFile(request, stream, Data));
        using (server)
        {
            WeightsEntry entry = CacheFixture.Entry(Data, server.Url("/w.pth"));
            Directory.CreateDirectory(fixture.Locations.PartialDirectory);
            File.WriteAllBytes(fixture.Locations.PartialPathOf(entry), Data[..100_000]);

            FetchResult result = await fixture.Cache().FetchAsync(entry, CacheFixture.Fast);

            Assert.Equal(100_000, Assert.Single(server.Requests).RangeStart);
            Assert.Equal(200_000, server.BytesSent);
            Assert.Equal(Data, File.ReadAllBytes(result.Weights.Path));
            Assert.False(File.Exists(fixture.Locations.PartialPathOf(entry)));
        }
    }

    [Fact]
    public async Task ACompletePartialFileIsVerifiedAndMovedWithoutDownloadingAgain()
    {
        using var fixture = new CacheFixture();
        // Size unknown: the range request past the end gets 416 with the total, which says the file is whole.
        using var server = new TestHttpServer((request, stream, _) =>
            TestHttpServer.SendStatus(stream, 416, "Range Not Satisfiable", header: $"Content-Range: bytes */{Data.Length}"));
        WeightsEntry unknownSize = CacheFixture.Entry(Data, server.Url("/w.pth")) with { Size = null };
        WeightsEntry knownSize = CacheFixture.Entry(Data, server.Url("/w.pth")) with { Name = "known", FileName = "known.pth" };
        foreach (WeightsEntry entry in new[] { unknownSize, knownSize })
        {
            Directory.CreateDirectory(fixture.Locations.PartialDirectory);
            File.WriteAllBytes(fixture.Locations.PartialPathOf(entry), Data);

            FetchResult result = await fixture.Cache().FetchAsync(entry, CacheFixture.Fast);

            Assert.Equal(Data, File.ReadAllBytes(result.Weights.Path));
        }

        // Only the entry of unknown size asked the server.
        Assert.Equal(Data.Length, Assert.Single(server.Requests).RangeStart);
    }

    [Fact]
    public async Task APartialFileOfOtherBytesFailsTheHashThenTheFileIsFetchedAgainFromZero()
    {
        using var fixture = new CacheFixture();
        TestHttpServer server = null!;
        server = new TestHttpServer((request, stream, _) => server.SendFile(request, stream, Data));
        using (server)
        {
            WeightsEntry entry = CacheFixture.Entry(Data, server.Url("/w.pth"));
            Directory.CreateDirectory(fixture.Locations.PartialDirectory);
            File.WriteAllBytes(fixture.Locations.PartialPathOf(entry), CacheFixture.Data(100_000, seed: 9));
            var events = new List<DownloadEvent>();

            FetchResult result = await fixture.Cache().FetchAsync(entry, CacheFixture.Fast, events.Add);

            Assert.Equal([100_000L, null], server.Requests.Select(r => r.RangeStart));
            Assert.Contains(events, e => e is DownloadRestarted r && r.Reason.Contains("SHA-256 mismatch", StringComparison.Ordinal));
            Assert.Equal(Data, File.ReadAllBytes(result.Weights.Path));
        }
    }

    [Fact]
    public async Task AServerThatIgnoresTheRangeStartsTheFileAgainFromZero()
    {
        using var fixture = new CacheFixture();
        TestHttpServer server = null!;
        server = new TestHttpServer((request, stream, _) => server.SendFile(request, stream, Data, honourRange: false));
        using (server)
        {
            WeightsEntry entry = CacheFixture.Entry(Data, server.Url("/w.pth"));
            Directory.CreateDirectory(fixture.Locations.PartialDirectory);
            File.WriteAllBytes(fixture.Locations.PartialPathOf(entry), Data[..100_000]);
            var events = new List<DownloadEvent>();

            FetchResult result = await fixture.Cache().FetchAsync(entry, CacheFixture.Fast, events.Add);

            Assert.Equal(100_000, Assert.Single(server.Requests).RangeStart);
            Assert.Contains(events, e => e is DownloadRestarted);
            Assert.Equal(Data, File.ReadAllBytes(result.Weights.Path));
        }
    }

    [Fact]
    public async Task AContentRangeThatStartsElsewhereIsHandled()
    {
        using var fixture = new CacheFixture();
        // A range that starts 1000 bytes after the byte asked for is unusable: the file starts again from 0 (a second
        // request, without a range). One that starts 1000 bytes before is used: its first 1000 bytes are dropped.
        TestHttpServer later = null!, earlier = null!;
        later = new TestHttpServer((request, stream, _) =>
            request.RangeStart is long n ? later.SendFile(request, stream, Data, rangeFrom: n + 1000) : later.SendFile(request, stream, Data));
        earlier = new TestHttpServer((request, stream, _) =>
            request.RangeStart is long n ? earlier.SendFile(request, stream, Data, rangeFrom: n - 1000) : earlier.SendFile(request, stream, Data));
        using (later)
        using (earlier)
        {
            foreach ((TestHttpServer host, long?[] ranges) in new[] { (later, new long?[] { 100_000, null }), (earlier, new long?[] { 100_000 }) })
            {
                WeightsEntry entry = CacheFixture.Entry(Data, host.Url("/w.pth"));
                Directory.CreateDirectory(fixture.Locations.PartialDirectory);
                File.WriteAllBytes(fixture.Locations.PartialPathOf(entry), Data[..100_000]);
                FetchResult result = await fixture.Cache().FetchAsync(entry, CacheFixture.Fast with { Force = true });
                Assert.Equal(ranges, host.Requests.Select(r => r.RangeStart));
                Assert.Equal(Data, File.ReadAllBytes(result.Weights.Path));
            }
        }
    }

    [Fact]
    public async Task AWrongHashIsRejectedAndNothingIsKept()
    {
        using var fixture = new CacheFixture();
        TestHttpServer server = null!;
        server = new TestHttpServer((request, stream, _) => server.SendFile(request, stream, Data));
        using (server)
        {
            byte[] other = CacheFixture.Data(Data.Length, seed: 2);
            WeightsEntry entry = CacheFixture.Entry(other, server.Url("/w.pth"));

            var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => fixture.Cache().FetchAsync(entry, CacheFixture.Fast));

            Assert.Contains($"SHA-256 mismatch: expected {CacheFixture.Sha256(other)}, got {CacheFixture.Sha256(Data)}; the download was discarded", e.Message, StringComparison.Ordinal);
            Assert.Contains(server.Url("/w.pth"), e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
            Assert.False(File.Exists(fixture.Locations.CachePathOf(entry)));
            Assert.False(File.Exists(fixture.Locations.PartialPathOf(entry)));
        }
    }

    [Fact]
    public async Task AnMd5EntryIsCheckedByItsMd5AndSize()
    {
        using var fixture = new CacheFixture();
        TestHttpServer server = null!;
        server = new TestHttpServer((request, stream, _) => server.SendFile(request, stream, Data));
        using (server)
        {
            string md5 = Convert.ToHexStringLower(MD5.HashData(Data));
            WeightsEntry entry = CacheFixture.Entry(Data, server.Url("/w.pth")) with { Verification = new WeightsVerification(Md5: md5) };
            FetchResult result = await fixture.Cache().FetchAsync(entry, CacheFixture.Fast);
            Assert.Equal(md5, result.Weights.Digest.Md5);

            WeightsEntry wrong = entry with { Name = "wrong", FileName = "wrong.pth", Verification = new WeightsVerification(Md5: new string('0', 32)) };
            var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => fixture.Cache().FetchAsync(wrong, CacheFixture.Fast));
            Assert.Contains($"MD5 mismatch: expected {new string('0', 32)}, got {md5}", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(404, "Not Found")]
    [InlineData(500, "Internal Server Error")]
    public async Task AnHttpErrorNamesItsStatusAndTheUrl(int code, string reason)
    {
        using var fixture = new CacheFixture();
        using var server = new TestHttpServer((_, stream, _) => TestHttpServer.SendStatus(stream, code, reason));
        WeightsEntry entry = CacheFixture.Entry(Data, server.Url("/missing.pth"));

        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => fixture.Cache().FetchAsync(entry, CacheFixture.Fast));

        Assert.Equal($"cannot fetch test-net (test-net-1234.pth): {server.Url("/missing.pth")}: HTTP {code} {reason}", e.Message);
        Assert.False(File.Exists(fixture.Locations.CachePathOf(entry)));
    }

    [Fact]
    public async Task AStalledServerTimesOutInSeconds()
    {
        using var fixture = new CacheFixture();
        using var server = new TestHttpServer((_, stream, stop) => TestHttpServer.Stall(stream, Data.Length, stop));
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => fixture.Cache().FetchAsync(CacheFixture.Entry(Data, server.Url("/w.pth")), CacheFixture.Fast));

        Assert.Contains("timed out: no data for 1 s", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ARedirectToAMirrorOnAnotherPortIsFollowed()
    {
        using var fixture = new CacheFixture();
        TestHttpServer mirror = null!;
        mirror = new TestHttpServer((request, stream, _) => mirror.SendFile(request, stream, Data));
        using (mirror)
        using (var primary = new TestHttpServer((_, stream, _) => TestHttpServer.SendStatus(stream, 302, "Found", mirror.Url("/elsewhere/w.pth"))))
        {
            FetchResult result = await fixture.Cache().FetchAsync(CacheFixture.Entry(Data, primary.Url("/w.pth")), CacheFixture.Fast);

            Assert.Equal("/elsewhere/w.pth", Assert.Single(mirror.Requests).Path);
            Assert.Equal(Data, File.ReadAllBytes(result.Weights.Path));
        }
    }

    [Fact]
    public async Task ARedirectThatIsNotFollowedSaysWhere()
    {
        using var fixture = new CacheFixture();
        TestHttpServer server = null!;
        server = new TestHttpServer((request, stream, _) => TestHttpServer.SendStatus(stream, 302, "Found", server.Url("/loop" + server.Requests.Count)));
        using (server)
        {
            var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => fixture.Cache().FetchAsync(CacheFixture.Entry(Data, server.Url("/w.pth")), CacheFixture.Fast));
            Assert.Contains("HTTP 302 Found: the redirect to http://127.0.0.1:", e.Message, StringComparison.Ordinal);
            Assert.Contains("was not followed", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MirrorsAreTriedInOrderAfterThePrimaryFails()
    {
        using var fixture = new CacheFixture();
        TestHttpServer mirror = null!;
        mirror = new TestHttpServer((request, stream, _) => mirror.SendFile(request, stream, Data));
        using (mirror)
        using (var primary = new TestHttpServer((_, stream, _) => TestHttpServer.SendStatus(stream, 503, "Service Unavailable")))
        {
            var events = new List<DownloadEvent>();
            string refused = $"http://127.0.0.1:{TestHttpServer.ClosedPort()}/w.pth";
            WeightsEntry entry = CacheFixture.Entry(Data, primary.Url("/w.pth"), refused, mirror.Url("/w.pth"));

            FetchResult result = await fixture.Cache().FetchAsync(entry, CacheFixture.Fast, events.Add);

            Assert.Equal(Data, File.ReadAllBytes(result.Weights.Path));
            Assert.Equal([primary.Url("/w.pth"), refused], events.OfType<DownloadUrlFailed>().Select(f => f.Url));
        }
    }

    [Fact]
    public async Task AnExtraMirrorIsTriedFirst()
    {
        using var fixture = new CacheFixture();
        TestHttpServer mirror = null!;
        mirror = new TestHttpServer((request, stream, _) => mirror.SendFile(request, stream, Data));
        using (mirror)
        using (var primary = new TestHttpServer((_, stream, _) => TestHttpServer.SendStatus(stream, 500, "Internal Server Error")))
        {
            WeightsEntry entry = CacheFixture.Entry(Data, primary.Url("/w.pth"));
            await fixture.Cache().FetchAsync(entry, CacheFixture.Fast with { ExtraMirrors = [mirror.Url("/w.pth")] });
            Assert.Empty(primary.Requests);
        }
    }

    [Fact]
    public async Task EveryFailedUrlIsNamedInTheMessage()
    {
        using var fixture = new CacheFixture();
        string refused = $"http://127.0.0.1:{TestHttpServer.ClosedPort()}/w.pth";
        const string Unresolvable = "http://weights.invalid/w.pth";
        WeightsEntry entry = CacheFixture.Entry(Data, refused, Unresolvable);

        var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => fixture.Cache().FetchAsync(entry, CacheFixture.Fast));

        Assert.Equal($"cannot fetch test-net (test-net-1234.pth): {refused}: connection refused; {Unresolvable}: name not resolved: weights.invalid", e.Message);
    }

    [Fact]
    public async Task AnUntrustedCertificateIsATlsError()
    {
        using var fixture = new CacheFixture();
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        TestHttpServer server = null!;
        server = new TestHttpServer((r, stream, _) => server.SendFile(r, stream, Data), certificate);
        using (server)
        {
            var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => fixture.Cache().FetchAsync(CacheFixture.Entry(Data, server.Url("/w.pth")), CacheFixture.Fast));
            Assert.StartsWith("https://127.0.0.1:", e.Message.Split(": ", 2)[1], StringComparison.Ordinal);
            Assert.Contains("TLS error", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [Fact]
    public async Task AFullDiskRemovesThePartialFileAndStops()
    {
        using var fixture = new CacheFixture();
        TestHttpServer server = null!;
        server = new TestHttpServer((request, stream, _) => server.SendFile(request, stream, Data));
        using (server)
        {
            WeightsEntry entry = CacheFixture.Entry(Data, server.Url("/w.pth"), server.Url("/mirror.pth"));
            DownloadOptions options = CacheFixture.Fast with { WrapPartial = file => new FullDiskStream(file, 100_000) };

            var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => fixture.Cache().FetchAsync(entry, options));

            Assert.Contains(FullDiskStream.Message, e.Message, StringComparison.Ordinal);
            Assert.Contains("the partial download was removed", e.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(fixture.Locations.PartialPathOf(entry)));
            Assert.False(File.Exists(fixture.Locations.CachePathOf(entry)));
            // A full disk is not the server's fault: the mirror is not tried.
            Assert.Single(server.Requests);
        }
    }

    [Fact]
    public async Task CancellingKeepsThePartialFileAndNothingUnderTheFinalName()
    {
        using var fixture = new CacheFixture();
        using var server = new TestHttpServer(async (request, stream, stop) =>
        {
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {Data.Length}\r\n\r\n"));
            await stream.WriteAsync(Data.AsMemory(0, 50_000));
            await stream.FlushAsync();
            await Task.Delay(Timeout.Infinite, stop);
        });
        WeightsEntry entry = CacheFixture.Entry(Data, server.Url("/w.pth"));
        using var cancel = new CancellationTokenSource();
        DownloadOptions options = CacheFixture.Fast with { StallTimeout = TimeSpan.FromSeconds(20) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Cache().FetchAsync(entry, options, e =>
        {
            if (e is DownloadProgress { Received: >= 50_000 })
            {
                cancel.Cancel();
            }
        }, cancel.Token));

        Assert.Equal(Data[..50_000], File.ReadAllBytes(fixture.Locations.PartialPathOf(entry)));
        Assert.False(File.Exists(fixture.Locations.CachePathOf(entry)));
    }

    [Fact]
    public async Task AServerOfferingAnotherSizeIsNotDownloaded()
    {
        using var fixture = new CacheFixture();
        TestHttpServer server = null!;
        server = new TestHttpServer((request, stream, _) => server.SendFile(request, stream, Data));
        using (server)
        {
            WeightsEntry entry = CacheFixture.Entry(Data, server.Url("/w.pth")) with { Size = 12345 };
            var e = await Assert.ThrowsAsync<WeightsDownloadException>(() => fixture.Cache().FetchAsync(entry, CacheFixture.Fast));
            Assert.Contains("the server offers 300,000 bytes, expected 12,345 (another file?)", e.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(fixture.Locations.CachePathOf(entry)));
        }
    }
}
