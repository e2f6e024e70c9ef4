using System.Text.Json;
using NeuralStyle.Imaging;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>
/// A PyTorch reference run of the seed's algorithm (a reference-*.json of tests/fixture-scripts/reference_stylize.py) and
/// the CLI run with the same flags, compared printed line by printed line.
/// </summary>
public sealed class SeedReference : IDisposable
{
    private readonly JsonDocument document;
    private readonly string folder;

    private SeedReference(string path)
    {
        document = JsonDocument.Parse(File.ReadAllText(path));
        folder = Path.GetDirectoryName(path)!;
    }

    /// <summary>The reference's printed losses, in order.</summary>
    public IReadOnlyList<PrintedLosses> Printed => document.RootElement.GetProperty("printed").EnumerateArray()
        .Select(e => new PrintedLosses(e.GetProperty("iteration").GetInt32(), e.GetProperty("content").GetDouble(),
            e.GetProperty("style").GetDouble(), e.GetProperty("tv").GetDouble(), e.GetProperty("total").GetDouble()))
        .ToList();

    /// <summary>The reference's final image (its PNG sits next to the JSON file).</summary>
    public string FinalImage => Path.Combine(folder, document.RootElement.GetProperty("final_image").GetProperty("file").GetString()!);

    /// <summary>Reads a reference-*.json file.</summary>
    public static SeedReference Load(string path) => new(path);

    /// <summary>
    /// Runs the CLI with the reference's flags (file names resolved in Fixtures/tinyvgg, where the references' "args"
    /// are relative to), <c>--recipe seed</c> and <c>--output</c>; <paramref name="network"/> replaces <c>--network</c>'s file.
    /// </summary>
    public CliRun Run(string output, string? network = null)
    {
        List<string> args = [.. FixtureArgs(document.RootElement.GetProperty("args"))];
        if (network is not null)
        {
            args[args.IndexOf("--network") + 1] = network;
        }

        return CliRun.Invoke([.. args, "--recipe", "seed", "--output", output]);
    }

    /// <summary>
    /// Every printed loss of <paramref name="run"/> within <paramref name="relative"/>(iteration) of the expected one, or, for
    /// a term that is (close to) zero, within 1e-6 of the total. Returns the worst relative difference of the total loss.
    /// </summary>
    public static double AssertPrintedLosses(IReadOnlyList<PrintedLosses> expected, CliRun run, Func<int, double> relative)
    {
        Assert.True(run.ExitCode == 0, run.Error);
        SeedConsoleOutput console = SeedConsoleOutput.Parse(run.ErrorLines, out _);
        Assert.Equal(expected.Count, console.Printed.Count);
        double worst = 0;
        for (int k = 0; k < expected.Count; k++)
        {
            PrintedLosses e = expected[k];
            PrintedLosses actual = console.Printed[k];
            Assert.Equal(e.Iteration, actual.Iteration);
            double r = relative(e.Iteration);
            AssertWithin(e.Content, actual.Content, e.Total, r, $"content loss, iteration {actual.Iteration}");
            AssertWithin(e.Style, actual.Style, e.Total, r, $"style loss, iteration {actual.Iteration}");
            AssertWithin(e.Tv, actual.Tv, e.Total, r, $"tv loss, iteration {actual.Iteration}");
            AssertWithin(e.Total, actual.Total, e.Total, r, $"total loss, iteration {actual.Iteration}");
            worst = Math.Max(worst, Math.Abs(actual.Total - e.Total) / e.Total);
        }

        return worst;
    }

    /// <summary>
    /// The written image against the reference's: the reference truncates to 8 bits where we round, and the best iterate's
    /// pixels drift apart a little over 50 steps, hence a mean absolute difference below 2 levels.
    /// </summary>
    public void AssertImageClose(string output)
    {
        RgbImage ours = ImageReader.Read(output);
        RgbImage theirs = ImageReader.Read(FinalImage);
        Assert.Equal((theirs.Width, theirs.Height), (ours.Width, ours.Height));
        double meanAbs = ours.Pixels.Zip(theirs.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanAbs < 2.0, $"mean absolute pixel difference {meanAbs:0.###}");
    }

    public void Dispose() => document.Dispose();

    private static void AssertWithin(double expected, double actual, double total, double relative, string what)
    {
        double tolerance = Math.Max(relative * Math.Abs(expected), 1e-6 * Math.Abs(total));
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{what}: ours {actual:R}, PyTorch {expected:R} (tolerance {tolerance:G3})");
    }

    private static IEnumerable<string> FixtureArgs(JsonElement args)
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
