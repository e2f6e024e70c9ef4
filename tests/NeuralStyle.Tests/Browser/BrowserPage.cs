using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;

namespace NeuralStyle.Tests.Browser;

/// <summary>
/// A test's page (from <see cref="BrowserFixture.RunAsync"/>): the Playwright page itself (<see cref="Page"/>, for
/// clicks, locators and anything else), helpers that wait with a timeout and say what they waited for, screenshots
/// named after the test, and the page's console (errors fail the test unless ignored).
/// </summary>
public sealed class BrowserPage
{
    private readonly ConcurrentQueue<string> _console = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly List<string> _ignored = [];

    internal BrowserPage(IPage page, string testName, string artifactsDirectory)
    {
        Page = page;
        TestName = testName;
        ArtifactsDirectory = artifactsDirectory;
        page.Console += (_, message) =>
        {
            // A failed load's text does not name the resource; its location does.
            string text = string.IsNullOrEmpty(message.Location) ? message.Text : $"{message.Text} (at {message.Location})";
            _console.Enqueue($"{message.Type}: {text}");
            if (message.Type == "error" && !IsFaviconMiss(message))
            {
                _errors.Enqueue(text);
            }
        };
        // Uncaught exceptions and rejected promises in the page's scripts.
        page.PageError += (_, error) =>
        {
            _console.Enqueue($"uncaught: {error}");
            _errors.Enqueue($"uncaught: {error}");
        };
    }

    /// <summary>The Playwright page.</summary>
    public IPage Page { get; }

    /// <summary><c>Class.Method</c> of the test, the screenshots' prefix.</summary>
    public string TestName { get; }

    /// <summary>Where this page's screenshots go.</summary>
    public string ArtifactsDirectory { get; }

    /// <summary>Every console line so far (<c>type: text</c>), uncaught exceptions as <c>uncaught: ...</c>.</summary>
    public IReadOnlyList<string> ConsoleLines => [.. _console];

    /// <summary>Console errors and uncaught exceptions so far, ignored ones included.</summary>
    public IReadOnlyList<string> ConsoleErrors => [.. _errors];

    /// <summary>
    /// Opens <paramref name="url"/> and waits for its load event; throws when the server answers with an error status.
    /// </summary>
    public async Task GotoAsync(string url, TimeSpan? timeout = null)
    {
        IResponse? response = await Page.GotoAsync(url, new PageGotoOptions { Timeout = Milliseconds(timeout), WaitUntil = WaitUntilState.Load });
        if (response is not null && !response.Ok)
        {
            throw new InvalidOperationException($"GET {url} answered {response.Status} {response.StatusText}");
        }
    }

    /// <summary>Waits until an element matching <paramref name="selector"/> is visible; returns it.</summary>
    public async Task<IElementHandle> WaitForSelectorAsync(string selector, TimeSpan? timeout = null)
    {
        try
        {
            IElementHandle? element = await Page.WaitForSelectorAsync(selector, new PageWaitForSelectorOptions { State = WaitForSelectorState.Visible, Timeout = Milliseconds(timeout) });
            return element ?? throw new InvalidOperationException($"{selector} vanished while waiting for it");
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"waited {Seconds(timeout)} for {selector} to be visible; {await DescribeAsync(selector)}");
        }
    }

    /// <summary>Waits until the text of the element matching <paramref name="selector"/> contains <paramref name="text"/>.</summary>
    public async Task WaitForTextAsync(string selector, string text, TimeSpan? timeout = null)
    {
        try
        {
            await Page.WaitForFunctionAsync(
                "([selector, text]) => { const e = document.querySelector(selector); return e !== null && e.textContent.includes(text); }",
                new object[] { selector, text },
                new PageWaitForFunctionOptions { Timeout = Milliseconds(timeout) });
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"waited {Seconds(timeout)} for {selector} to contain \"{text}\"; {await DescribeAsync(selector)}");
        }
    }

    /// <summary>
    /// Waits until the JavaScript expression <paramref name="condition"/> is truthy in the page (e.g.
    /// <c>document.images[0].complete</c>); <paramref name="what"/> says in the timeout's message what was awaited.
    /// </summary>
    public async Task WaitForConditionAsync(string condition, string what, TimeSpan? timeout = null)
    {
        try
        {
            await Page.WaitForFunctionAsync($"() => ({condition})", null, new PageWaitForFunctionOptions { Timeout = Milliseconds(timeout) });
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"waited {Seconds(timeout)} for {what} ({condition})");
        }
    }

    /// <summary>The text of the first element matching <paramref name="selector"/> (waits for it to exist).</summary>
    public async Task<string> TextAsync(string selector) => await Page.Locator(selector).First.TextContentAsync() ?? string.Empty;

    /// <summary>
    /// Saves a screenshot of the whole page as <c>Class.Method-label.png</c> in <see cref="ArtifactsDirectory"/> (an
    /// earlier one of the same name is replaced) and returns its path.
    /// </summary>
    public async Task<string> ScreenshotAsync(string label)
    {
        string path = Path.Combine(ArtifactsDirectory, BrowserArtifacts.FileName(TestName, label));
        Directory.CreateDirectory(ArtifactsDirectory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Type = ScreenshotType.Png });
        return path;
    }

    /// <summary>
    /// Console errors whose text contains <paramref name="containing"/> no longer fail the test: for errors the test
    /// provokes on purpose (e.g. an event stream that breaks when the server stops).
    /// </summary>
    public void IgnoreConsoleErrors(string containing) => _ignored.Add(containing);

    /// <summary>Console errors not matched by <see cref="IgnoreConsoleErrors"/>.</summary>
    public IReadOnlyList<string> UnexpectedConsoleErrors() =>
        [.. _errors.Where(error => !_ignored.Exists(ignored => error.Contains(ignored, StringComparison.Ordinal)))];

    /// <summary>A screenshot, or a note saying why there is none (for failure reports, which must not fail themselves).</summary>
    internal async Task<string> TryScreenshotAsync(string label)
    {
        try
        {
            return await ScreenshotAsync(label);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or IOException)
        {
            return $"(no screenshot: {e.Message.Split('\n')[0]})";
        }
    }

    /// <summary>The page's address, its screenshot and its console, for a failure's message.</summary>
    internal string Describe(string screenshot)
    {
        string console = _console.IsEmpty ? " (empty)" : Environment.NewLine + string.Join(Environment.NewLine, _console.Select(line => "  " + line));
        return $"page: {Page.Url}{Environment.NewLine}screenshot: {screenshot}{Environment.NewLine}console:{console}";
    }

    private async Task<string> DescribeAsync(string selector)
    {
        try
        {
            ILocator matches = Page.Locator(selector);
            int count = await matches.CountAsync();
            if (count == 0)
            {
                return "no element matches it";
            }

            string text = await matches.First.TextContentAsync(new LocatorTextContentOptions { Timeout = 1000 }) ?? string.Empty;
            return $"{count} element(s) match, the first with text \"{(text.Length > 200 ? text[..200] + "..." : text)}\"";
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return $"the page could not be inspected ({e.Message.Split('\n')[0]})";
        }
    }

    /// <summary>
    /// The browser asks every site for /favicon.ico by itself; a page without one gets a 404 on the console that no
    /// script of the page caused. It is logged but does not fail the test.
    /// </summary>
    private static bool IsFaviconMiss(IConsoleMessage message) =>
        message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)
        && Uri.TryCreate(message.Location, UriKind.Absolute, out Uri? location)
        && (location.AbsolutePath == "/favicon.ico" || location.AbsolutePath.StartsWith("/favicon.ico:", StringComparison.Ordinal));

    private static float Milliseconds(TimeSpan? timeout) => (float)(timeout ?? BrowserFixture.DefaultTimeout).TotalMilliseconds;

    private static string Seconds(TimeSpan? timeout) =>
        (timeout ?? BrowserFixture.DefaultTimeout).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
