using System.Text.Json;
using NeuralStyle.Imaging;
using NeuralStyle.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Cli;

/// <summary>
/// The CLI against an independent PyTorch implementation of stylize.py (tests/fixture-scripts/reference_stylize.py),
/// on the tiny VGG-shaped networks: every printed loss within 1%.
/// </summary>
public class FidelityTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData("default")]
    [InlineData("old-layout")]
    [InlineData("blend")]
    [InlineData("best-not-last")]
    public void PrintedLossesMatchThePyTorchReference(string configuration)
    {
        using JsonDocument reference = JsonDocument.Parse(File.ReadAllText(Fixtures.TinyVgg($"reference-{configuration}.json")));
        using var temp = new TempDirectory();
        string output = temp.File("out.png");
        CliRun run = CliRun.Invoke([.. FixtureArgs(reference.RootElement.GetProperty("args")), "--recipe", "seed", "--output", output]);
        Assert.True(run.ExitCode == 0, run.Error);

        SeedConsoleOutput console = SeedConsoleOutput.Parse(run.ErrorLines, out _);
        var expected = reference.RootElement.GetProperty("printed").EnumerateArray().ToList();
        double worst = 0;
        Assert.Equal(expected.Count, console.Printed.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            JsonElement e = expected[k];
            PrintedLosses actual = console.Printed[k];
            Assert.Equal(e.GetProperty("iteration").GetInt32(), actual.Iteration);
            double scale = e.GetProperty("total").GetDouble();
            AssertWithin(e.GetProperty("content").GetDouble(), actual.Content, scale, $"content loss, iteration {actual.Iteration}");
            AssertWithin(e.GetProperty("style").GetDouble(), actual.Style, scale, $"style loss, iteration {actual.Iteration}");
            AssertWithin(e.GetProperty("tv").GetDouble(), actual.Tv, scale, $"tv loss, iteration {actual.Iteration}");
            AssertWithin(e.GetProperty("total").GetDouble(), actual.Total, scale, $"total loss, iteration {actual.Iteration}");
            worst = Math.Max(worst, Math.Abs(actual.Total - scale) / scale);
        }

        log.WriteLine($"{configuration}: {expected.Count} printed iterations, worst relative difference of the total loss {worst:E2}");

        // The written image is the best iterate; the reference truncates to 8 bits where we round, hence the slack.
        RgbImage ours = ImageReader.Read(output);
        RgbImage theirs = ImageReader.Read(Fixtures.TinyVgg(reference.RootElement.GetProperty("final_image").GetProperty("file").GetString()!));
        Assert.Equal((theirs.Width, theirs.Height), (ours.Width, ours.Height));
        double meanAbs = ours.Pixels.Zip(theirs.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanAbs < 2.0, $"mean absolute pixel difference {meanAbs:0.###}");
    }

    // A value within 1% of the reference, or, for a term that is (close to) zero, within 1e-6 of the total.
    private static void AssertWithin(double expected, double actual, double total, string what)
    {
        double tolerance = Math.Max(0.01 * Math.Abs(expected), 1e-6 * Math.Abs(total));
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{what}: ours {actual:R}, PyTorch {expected:R} (tolerance {tolerance:G3})");
    }

    internal static IEnumerable<string> FixtureArgs(JsonElement args)
    {
        string[] fileOptions = ["--network", "--content", "--styles", "--initial"];
        string? current = null;
        foreach (JsonElement a in args.EnumerateArray())
        {
            string value = a.GetString()!;
            if (value.StartsWith("--", StringComparison.Ordinal))
            {
                current = value;
                yield return value;
            }
            else
            {
                yield return fileOptions.Contains(current) ? Fixtures.TinyVgg(value) : value;
            }
        }
    }
}
