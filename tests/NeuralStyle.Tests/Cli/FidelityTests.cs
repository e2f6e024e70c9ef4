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
    /// <summary>How far a printed loss may be from the PyTorch reference's: 1%.</summary>
    internal const double Tolerance = 0.01;

    [Theory]
    [InlineData("default")]
    [InlineData("old-layout")]
    [InlineData("blend")]
    [InlineData("best-not-last")]
    public void PrintedLossesMatchThePyTorchReference(string configuration)
    {
        using SeedReference reference = SeedReference.Load(Fixtures.TinyVgg($"reference-{configuration}.json"));
        using var temp = new TempDirectory();
        string output = temp.File("out.png");
        double worst = SeedReference.AssertPrintedLosses(reference.Printed, reference.Run(output), _ => Tolerance);
        log.WriteLine($"{configuration}: {reference.Printed.Count} printed iterations, worst relative difference of the total loss {worst:E2}");
        reference.AssertImageClose(output);
    }
}
