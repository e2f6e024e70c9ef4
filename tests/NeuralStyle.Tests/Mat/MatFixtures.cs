using NeuralStyle.Tests.Support;

namespace NeuralStyle.Tests.Mat;

/// <summary>The committed MAT-file fixtures (written by tests/fixture-scripts/make_mat_fixtures.py).</summary>
internal static class MatFixtures
{
    public static string Directory => Path.Combine(Fixtures.Root, "mat");

    public static string Path_(string name) => Path.Combine(Directory, name);

    /// <summary>Every fixture that has expected values, i.e. every one that must read successfully.</summary>
    public static IEnumerable<string> Readable() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.expected.json")
            .Select(p => Path.GetFileName(p).Replace(".expected.json", ".mat", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
