using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Xunit;

namespace NeuralStyle.Tests.Browser;

/// <summary>
/// One headless chromium for the whole test run (the collection fixture of <see cref="BrowserCollection"/>), driven by
/// Playwright for .NET: its driver (the node binary and script bundled in the NuGet package, copied to the test output)
/// talks to the system's chromium (<see cref="ChromiumLocation"/>); Playwright's browser download is never used.
/// Each test gets a fresh browser context (its own cookies, storage and cache) and page through
/// <see cref="RunAsync"/>, which also fails the test on console errors and keeps a screenshot when it fails.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The running browser (after the fixture started).</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser fixture has not started");

    /// <summary>The chromium binary in use.</summary>
    public string ExecutablePath { get; } = ChromiumLocation.Resolve();

    /// <summary>Where screenshots go (see <see cref="BrowserArtifacts"/>).</summary>
    public string ArtifactsDirectory { get; } = BrowserArtifacts.Directory();

    /// <summary>How long starting Playwright's driver and chromium took.</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>The browser's version string, e.g. <c>156.0.8078.129</c>.</summary>
    public string Version => Browser.Version;

    /// <summary>How long a wait helper waits unless told otherwise.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(15);

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        (_playwright, _browser) = await LaunchAsync(ExecutablePath);
        StartTime = clock.Elapsed;
        BrowserArtifacts.Prepare(ArtifactsDirectory);
    }

    /// <summary>
    /// Starts Playwright's driver and a headless chromium at <paramref name="executablePath"/>; throws the message of
    /// <see cref="ChromiumLocation.EnsureExists"/> when the file is not there.
    /// </summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync(string executablePath)
    {
        ChromiumLocation.EnsureExists(executablePath);
        IPlaywright playwright = await Playwright.CreateAsync();
        try
        {
            IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executablePath,
                Headless = true,
                Timeout = 60_000,
                // /dev/shm is small in containers; chromium then writes its shared memory to /tmp instead.
                Args = ["--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--disable-extensions"],
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> on a fresh page in a new browser context (1024x768, device scale 1), then closes
    /// the context. The test fails when the body throws (a screenshot <c>-failure.png</c> is kept and the page's
    /// console is added to the message) and when the page logged console errors or threw uncaught exceptions that
    /// the body did not expect (<see cref="BrowserPage.IgnoreConsoleErrors"/>). The test's name, for the screenshot
    /// files, is the calling file's name (the test class) and the calling method.
    /// </summary>
    public async Task RunAsync(Func<BrowserPage, Task> body, [CallerFilePath] string callerFile = "", [CallerMemberName] string callerMember = "")
    {
        string testName = $"{Path.GetFileNameWithoutExtension(callerFile)}.{callerMember}";
        await using IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1024, Height = 768 },
            DeviceScaleFactor = 1,
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout((float)DefaultTimeout.TotalMilliseconds);
        var browserPage = new BrowserPage(page, testName, ArtifactsDirectory);
        try
        {
            await body(browserPage);
        }
        catch (Exception failure)
        {
            string screenshot = await browserPage.TryScreenshotAsync("failure");
            throw new BrowserTestException($"{testName} failed: {failure.Message}{Environment.NewLine}{browserPage.Describe(screenshot)}", failure);
        }

        IReadOnlyList<string> errors = browserPage.UnexpectedConsoleErrors();
        if (errors.Count > 0)
        {
            string screenshot = await browserPage.TryScreenshotAsync("console-errors");
            throw new BrowserTestException(
                $"{testName}: the page logged {errors.Count} console error(s): {string.Join(" | ", errors)}{Environment.NewLine}{browserPage.Describe(screenshot)}");
        }
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>A browser test's failure: what failed, the page's console and where its screenshot is.</summary>
public sealed class BrowserTestException(string message, Exception? inner = null) : Exception(message, inner);
