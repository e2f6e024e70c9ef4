namespace NeuralStyle.Tests.Support;

/// <summary>Paths of the committed fixtures (copied next to the test assembly).</summary>
public static class Fixtures
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string TinyVgg(string file) => Path.Combine(Root, "tinyvgg", file);

    /// <summary>The tiny VGG of tinyvgg/ in the other weights formats (tests/fixture-scripts/make_vgg_sources.py).</summary>
    public static string VggSource(string file) => Path.Combine(Root, "vggsources", file);

    /// <summary>An image of the repository's examples/ folder (found by walking up to the solution file).</summary>
    public static string Example(string file)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "NeuralStyle.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine(dir ?? throw new DirectoryNotFoundException("the repository root (NeuralStyle.sln) is not above the test assembly"), "examples", file);
    }
}
