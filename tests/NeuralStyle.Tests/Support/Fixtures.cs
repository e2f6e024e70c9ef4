namespace NeuralStyle.Tests.Support;

/// <summary>Paths of the committed fixtures (copied next to the test assembly).</summary>
public static class Fixtures
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string TinyVgg(string file) => Path.Combine(Root, "tinyvgg", file);
}
