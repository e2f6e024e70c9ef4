using NeuralStyle.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Fuzz;

/// <summary>
/// The fuzz pass over every reader of user-supplied files: a fixed, seeded set of mutants of small seed files per
/// reader, each of which must end in a result or the reader's documented error (naming the input, in one line) within
/// 5 s and a memory bound; never another exception type, a hang or a native crash. Inputs that once failed are
/// committed under Fixtures/fuzz/TARGET and read again by <see cref="Committed_regression_inputs_end_cleanly"/>.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory scratch = new();

    public static TheoryData<string, string> RegressionInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (string folder in Directory.EnumerateDirectories(Path.Combine(Fixtures.Root, "fuzz")).Order(StringComparer.Ordinal))
        {
            foreach (string file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(folder), Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [InlineData("image", 3000)]
    [InlineData("mat", 3000)]
    [InlineData("mat-stream", 1500)]
    [InlineData("mat-inflated", 2000)]
    [InlineData("matconvnet", 1000)]
    [InlineData("onnx", 3000)]
    [InlineData("onnx-fields", 1500)]
    [InlineData("npy", 2000)]
    [InlineData("pytorch", 2000)]
    [InlineData("pytorch-pickle", 3000)]
    [InlineData("pytorch-legacy", 2000)]
    [InlineData("state", 1000)]
    [InlineData("state-body", 1500)]
    public void Mutants_end_in_a_result_or_a_clear_error(string target, int mutants)
    {
        FuzzReport report = FuzzHarness.Run(ReaderTargets.ByName(target, scratch), mutants, output);

        // A run in which (nearly) everything is refused at the first check, or nothing is, tests little.
        Assert.True(report.Refused >= report.Cases / 10, $"only {report.Refused} of {report.Cases} mutants were refused: the mutations do not reach the checks");
        Assert.True(report.Results + report.Refused == report.Cases, report.ToString());
    }

    [Theory]
    [MemberData(nameof(RegressionInputs))]
    public void Committed_regression_inputs_end_cleanly(string target, string file)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(Fixtures.Root, "fuzz", target, file));

        Verdict verdict = FuzzHarness.Attempt(ReaderTargets.ByName(target, scratch), input, file);

        output.WriteLine(verdict.Error?.Message ?? "read");
        Assert.Null(verdict.Problem);
    }

    public void Dispose() => scratch.Dispose();
}
