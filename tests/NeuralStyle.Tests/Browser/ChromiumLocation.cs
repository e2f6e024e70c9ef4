namespace NeuralStyle.Tests.Browser;

/// <summary>
/// Where the browser tests find chromium: Debian's <c>/usr/bin/chromium</c>, or the binary that
/// <c>NEURALSTYLE_CHROMIUM</c> names. Playwright's own browser download is never used: the tests may fetch nothing
/// but NuGet packages.
/// </summary>
public static class ChromiumLocation
{
    /// <summary>The environment variable that names another chromium binary.</summary>
    public const string EnvironmentVariable = "NEURALSTYLE_CHROMIUM";

    /// <summary>Debian's chromium (package <c>chromium</c>).</summary>
    public const string DebianPath = "/usr/bin/chromium";

    /// <summary>The binary to launch: the environment variable if set, else Debian's.</summary>
    public static string Resolve(Func<string, string?>? environment = null)
    {
        string? configured = (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(configured) ? DebianPath : configured;
    }

    /// <summary>
    /// Throws, with the command that installs it, when <paramref name="path"/> is not there. A missing browser fails
    /// the browser tests (every one of them, through the collection fixture); it never skips them.
    /// </summary>
    public static void EnsureExists(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"chromium not found at {path}: the browser tests need Debian's chromium (apt-get install chromium, " +
                $"as .ci/run does), or {EnvironmentVariable} naming a chromium binary",
                path);
        }
    }
}
