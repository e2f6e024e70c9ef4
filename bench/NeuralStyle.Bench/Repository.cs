/// <summary>Where the repository is, found from the benchmark's own location so that it runs from any directory.</summary>
internal static class Repository
{
    public static string Root()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "NeuralStyle.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? Directory.GetCurrentDirectory();
    }
}
