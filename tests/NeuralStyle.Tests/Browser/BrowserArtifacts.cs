namespace NeuralStyle.Tests.Browser;

/// <summary>
/// The folder that keeps the browser tests' screenshots: <c>NEURALSTYLE_TEST_ARTIFACTS</c>/browser if that variable is
/// set (a CI job points it at the folder it uploads), else <c>browser-artifacts</c> next to the test assembly
/// (<c>tests/NeuralStyle.Tests/bin/Release/net10.0/browser-artifacts</c>). Files are named after the test:
/// <c>Class.Method-label.png</c>.
/// </summary>
public static class BrowserArtifacts
{
    /// <summary>The environment variable that moves the artefacts (to its <c>browser</c> subfolder).</summary>
    public const string EnvironmentVariable = "NEURALSTYLE_TEST_ARTIFACTS";

    /// <summary>The folder for this run (not created).</summary>
    public static string Directory(Func<string, string?>? environment = null)
    {
        string? configured = (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(AppContext.BaseDirectory, "browser-artifacts")
            : Path.Combine(Path.GetFullPath(configured), "browser");
    }

    /// <summary>
    /// Creates the folder and removes the PNG files an earlier run left there, so that every screenshot in it belongs
    /// to this run (a renamed or deleted test leaves nothing stale behind). Only PNG files are removed.
    /// </summary>
    public static string Prepare(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        foreach (string old in System.IO.Directory.EnumerateFiles(directory, "*.png"))
        {
            File.Delete(old);
        }

        return directory;
    }

    /// <summary>The file name of a screenshot: the test's name and a label, with anything but letters, digits, '.', '-' and '_' replaced.</summary>
    public static string FileName(string testName, string label)
    {
        string name = $"{testName}-{label}";
        char[] safe = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray();
        return new string(safe) + ".png";
    }
}
