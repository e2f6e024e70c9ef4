using System.Text.Json;
using NeuralStyle.Weights.Mat;
using Xunit;

namespace NeuralStyle.Tests.Mat;

/// <summary>Every readable fixture against the values scipy.io.loadmat read from the same file.</summary>
public sealed class MatFixtureTests
{
    public static TheoryData<string> ReadableFixtures => [.. MatFixtures.Readable()];

    [Theory]
    [MemberData(nameof(ReadableFixtures))]
    public void Fixture_matches_scipy_reading(string fixture)
    {
        string path = MatFixtures.Path_(fixture);
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(path.Replace(".mat", ".expected.json", StringComparison.Ordinal)));

        MatFileContents contents = MatFile.Read(path);

        Assert.Equal(path, contents.SourceName);
        MatExpectation.AssertFile(expected.RootElement, contents);
    }

    [Theory]
    [MemberData(nameof(ReadableFixtures))]
    public void Reading_from_a_non_seekable_stream_gives_the_same_result(string fixture)
    {
        string path = MatFixtures.Path_(fixture);
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(path.Replace(".mat", ".expected.json", StringComparison.Ordinal)));
        using var stream = new NonSeekableStream(File.OpenRead(path));

        MatExpectation.AssertFile(expected.RootElement, MatFile.Read(stream, fixture));
    }

    [Fact]
    public void Every_fixture_kind_is_present()
    {
        // Guards against a fixture script run that silently dropped a writer.
        string[] readable = [.. MatFixtures.Readable()];
        Assert.Contains("scipy-v5.mat", readable);
        Assert.Contains("scipy-v5z.mat", readable);
        Assert.Contains("octave-v6.mat", readable);
        Assert.Contains("octave-v7.mat", readable);
        Assert.Contains("hand-bigendian.mat", readable);
        Assert.Contains("hand-compressed-no-adler.mat", readable);
        Assert.Contains("hand-compressed-sync-flush.mat", readable);
        Assert.True(readable.Length >= 17, string.Join(", ", readable));
    }
}
