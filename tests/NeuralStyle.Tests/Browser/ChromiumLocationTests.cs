using Xunit;

namespace NeuralStyle.Tests.Browser;

/// <summary>
/// Where the harness finds chromium and puts screenshots, and its failure when chromium is missing (without a browser:
/// this class is not in the browser collection, so it runs even where chromium is absent).
/// </summary>
public sealed class ChromiumLocationTests
{
    [Fact]
    public async Task A_missing_chromium_fails_with_the_command_that_installs_it()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-chromium-{Guid.NewGuid():N}", "chromium");

        FileNotFoundException failure = await Assert.ThrowsAsync<FileNotFoundException>(() => BrowserFixture.LaunchAsync(missing));

        Assert.Contains($"chromium not found at {missing}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install chromium", failure.Message, StringComparison.Ordinal);
        Assert.Contains(ChromiumLocation.EnvironmentVariable, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chromium_is_debians_unless_the_environment_names_another()
    {
        Assert.Equal("/usr/bin/chromium", ChromiumLocation.Resolve(_ => null));
        Assert.Equal("/usr/bin/chromium", ChromiumLocation.Resolve(_ => " "));
        Assert.Equal("/opt/chrome/chrome", ChromiumLocation.Resolve(name => name == "NEURALSTYLE_CHROMIUM" ? "/opt/chrome/chrome" : null));
    }

    [Fact]
    public void Screenshots_go_next_to_the_tests_or_under_the_artifacts_variable()
    {
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "browser-artifacts"), BrowserArtifacts.Directory(_ => null));
        Assert.Equal("/ci/artifacts/browser", BrowserArtifacts.Directory(name => name == "NEURALSTYLE_TEST_ARTIFACTS" ? "/ci/artifacts" : null));
        Assert.Equal("LiveViewTests.Stop_ends_the_run-after_stop__1_.png", BrowserArtifacts.FileName("LiveViewTests.Stop_ends_the_run", "after stop (1)"));
    }
}
