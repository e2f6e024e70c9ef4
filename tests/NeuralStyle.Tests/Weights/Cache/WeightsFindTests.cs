using NeuralStyle.Weights.Cache;
using Xunit;

namespace NeuralStyle.Tests.Weights.Cache;

/// <summary>Finding copies already present: our cache, torch.hub's, the record of earlier checks, and verify.</summary>
public class WeightsFindTests
{
    private static readonly byte[] Data = CacheFixture.Data(200_000, seed: 3);

    [Fact]
    public void AVerifiedCopyInTorchHubsCacheIsUsed()
    {
        using var fixture = new CacheFixture();
        WeightsEntry entry = CacheFixture.Entry(Data);
        Directory.CreateDirectory(fixture.Locations.TorchHubCheckpoints);
        File.WriteAllBytes(fixture.Locations.TorchHubPathOf(entry), Data);

        WeightsLookup lookup = fixture.Cache().Find(entry);

        Assert.Equal(WeightsPlace.TorchHub, lookup.Found!.Place);
        Assert.Equal(fixture.Locations.TorchHubPathOf(entry), lookup.Found.Path);
        Assert.Empty(lookup.Rejected);
    }

    [Fact]
    public void OurCacheComesBeforeTorchHubs()
    {
        using var fixture = new CacheFixture();
        WeightsEntry entry = CacheFixture.Entry(Data);
        Directory.CreateDirectory(fixture.Locations.TorchHubCheckpoints);
        Directory.CreateDirectory(fixture.Locations.CacheDirectory);
        File.WriteAllBytes(fixture.Locations.TorchHubPathOf(entry), Data);
        File.WriteAllBytes(fixture.Locations.CachePathOf(entry), Data);

        Assert.Equal(WeightsPlace.Cache, fixture.Cache().Find(entry).Found!.Place);
    }

    [Fact]
    public void ACopyWithAWrongHashIsNotUsed()
    {
        using var fixture = new CacheFixture();
        WeightsEntry entry = CacheFixture.Entry(Data);
        Directory.CreateDirectory(fixture.Locations.TorchHubCheckpoints);
        byte[] damaged = (byte[])Data.Clone();
        damaged[1000] ^= 1;
        File.WriteAllBytes(fixture.Locations.TorchHubPathOf(entry), damaged);

        WeightsLookup lookup = fixture.Cache().Find(entry);

        Assert.Null(lookup.Found);
        Assert.Equal($"{fixture.Locations.TorchHubPathOf(entry)}: SHA-256 mismatch: expected {CacheFixture.Sha256(Data)}, got {CacheFixture.Sha256(damaged)}", Assert.Single(lookup.Rejected));
        Assert.False(Assert.Single(fixture.Cache().Copies(entry)).Verified);
    }

    [Fact]
    public void AHashPrefixEntryIsCheckedLikeTorchHub()
    {
        using var fixture = new CacheFixture();
        WeightsEntry entry = CacheFixture.Entry(Data) with { Verification = new WeightsVerification(Sha256Prefix: CacheFixture.Sha256(Data)[..8]) };
        Directory.CreateDirectory(fixture.Locations.CacheDirectory);
        File.WriteAllBytes(fixture.Locations.CachePathOf(entry), Data);
        Assert.NotNull(fixture.Cache().Find(entry).Found);

        WeightsEntry other = entry with { Verification = new WeightsVerification(Sha256Prefix: "00000000") };
        Assert.Contains("SHA-256 mismatch: expected 00000000..., got", Assert.Single(fixture.Cache().Find(other).Rejected), StringComparison.Ordinal);
    }

    [Fact]
    public void AVerifiedFileIsNotHashedAgainUntilItChangesButVerifyAlwaysHashes()
    {
        using var fixture = new CacheFixture();
        WeightsEntry entry = CacheFixture.Entry(Data);
        Directory.CreateDirectory(fixture.Locations.CacheDirectory);
        string path = fixture.Locations.CachePathOf(entry);
        File.WriteAllBytes(path, Data);
        Assert.Null(Assert.Single(fixture.Cache().Copies(entry)).Verified);
        Assert.NotNull(fixture.Cache().Find(entry).Found);
        Assert.True(Assert.Single(fixture.Cache().Copies(entry)).Verified);

        // Same size and time, other bytes: the record is trusted (no hashing), verify is not.
        DateTime time = File.GetLastWriteTimeUtc(path);
        byte[] damaged = (byte[])Data.Clone();
        damaged[^1] ^= 0xff;
        File.WriteAllBytes(path, damaged);
        File.SetLastWriteTimeUtc(path, time);
        Assert.NotNull(fixture.Cache().Find(entry).Found);
        WeightsCheck check = fixture.Cache().Verify(path, entry);
        Assert.False(check.Ok);
        Assert.Equal($"SHA-256 mismatch: expected {CacheFixture.Sha256(Data)}, got {CacheFixture.Sha256(damaged)}", check.Mismatch);

        // Verify updated the record: the next lookup refuses the file.
        Assert.Null(fixture.Cache().Find(entry).Found);

        // A file with another time is hashed again.
        File.WriteAllBytes(path, Data);
        Assert.NotNull(fixture.Cache().Find(entry).Found);
    }

    [Fact]
    public void VerifyRecognisesAKnownFileByItsHashUnderAnotherName()
    {
        using var fixture = new CacheFixture();
        Directory.CreateDirectory(fixture.Locations.CacheDirectory);
        File.WriteAllText(fixture.Locations.CatalogFile, $$"""{ "weights": [ { "name": "test-net", "file": "test-net-1234.pth", "sha256": "{{CacheFixture.Sha256(Data)}}" } ] }""");
        string renamed = Path.Combine(fixture.Root, "renamed.bin");
        File.WriteAllBytes(renamed, Data);

        WeightsCheck check = fixture.Cache().Verify(renamed);

        Assert.True(check.Ok);
        Assert.Equal("test-net", check.Entry!.Name);
    }
}
