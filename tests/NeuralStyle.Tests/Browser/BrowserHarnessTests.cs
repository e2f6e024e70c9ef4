using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NeuralStyle.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Browser;

/// <summary>
/// The browser harness on pages of its own, served by Kestrel on 127.0.0.1: a click that changes the page, an image
/// that loads, a screenshot that is written, events pushed by the server shown as they arrive, and the failures the
/// harness reports (console errors, waits that time out).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserHarnessTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string ButtonPage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>harness</title>
        <style>body { font-family: sans-serif; margin: 24px; } #status { font-size: 28px; color: #1a5fb4; }</style></head>
        <body>
          <h1>Browser harness</h1>
          <p id="status">not clicked</p>
          <button id="go" type="button">Go</button>
          <p><img id="picture" src="/chelsea.png" alt="chelsea"></p>
          <script>
            let clicks = 0;
            document.getElementById('go').addEventListener('click', () => {
              clicks++;
              document.getElementById('status').textContent = 'clicked ' + clicks + ' time(s)';
              document.body.style.background = '#f6f5d0';
            });
          </script>
        </body></html>
        """;

    private const string EventsPage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>events</title></head>
        <body style="font-family: sans-serif; margin: 24px">
          <p id="status">waiting for events</p>
          <ol id="log"></ol>
          <script>
            const source = new EventSource('/events');
            let received = 0;
            source.addEventListener('progress', event => {
              received++;
              document.getElementById('status').textContent = event.data;
              const item = document.createElement('li');
              item.textContent = event.data + ' at ' + Math.round(performance.now()) + ' ms';
              document.getElementById('log').append(item);
              // The server ends the stream after the third; closing stops EventSource from reconnecting.
              if (received === 3) source.close();
            });
          </script>
        </body></html>
        """;

    private const string LostConnectionPage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>lost</title></head>
        <body style="font-family: sans-serif; margin: 24px">
          <p id="status">waiting for events</p>
          <script>
            const source = new EventSource('/events');
            source.onmessage = event => { document.getElementById('status').textContent = event.data; };
            source.onerror = () => { document.getElementById('status').textContent = 'connection lost'; };
          </script>
        </body></html>
        """;

    [Fact]
    public async Task Clicking_the_button_changes_the_page_and_the_screenshot_is_kept()
    {
        output.WriteLine($"chromium {browser.Version} at {browser.ExecutablePath}, fixture started in {browser.StartTime.TotalSeconds:0.00} s");
        byte[] picture = await File.ReadAllBytesAsync(Fixtures.Example("chelsea.png"));
        await using LoopbackWebApp app = await LoopbackWebApp.StartAsync(web =>
        {
            web.MapGet("/", () => Results.Content(ButtonPage, "text/html; charset=utf-8"));
            web.MapGet("/chelsea.png", () => Results.Bytes(picture, "image/png"));
        });

        string screenshot = string.Empty;
        await browser.RunAsync(async page =>
        {
            await page.GotoAsync(app.Url("/"));
            await page.WaitForConditionAsync("document.getElementById('picture').complete && document.getElementById('picture').naturalWidth > 0", "the picture to load");
            Assert.Equal("not clicked", await page.TextAsync("#status"));
            Assert.Equal(451, await page.Page.EvalOnSelectorAsync<int>("#picture", "img => img.naturalWidth"));

            await page.Page.ClickAsync("#go");
            await page.WaitForTextAsync("#status", "clicked 1 time(s)");
            await page.Page.ClickAsync("#go");
            await page.WaitForTextAsync("#status", "clicked 2 time(s)");
            screenshot = await page.ScreenshotAsync("after-clicks");
        });

        output.WriteLine($"screenshot: {screenshot}");
        Assert.Equal(Path.Combine(browser.ArtifactsDirectory, "BrowserHarnessTests.Clicking_the_button_changes_the_page_and_the_screenshot_is_kept-after-clicks.png"), screenshot);
        byte[] png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.AsSpan().StartsWith((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G']), "the screenshot is not a PNG");
        // IHDR: the width and height of the page at the context's 1024x768 viewport.
        Assert.Equal(1024, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.True(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)) >= 768);
    }

    [Fact]
    public async Task Server_sent_events_update_the_page_as_they_arrive()
    {
        // The third event waits for the test: the page must show the second before the server sends the third, so
        // the events are pushed one by one, not buffered until the response ends.
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using LoopbackWebApp app = await LoopbackWebApp.StartAsync(web =>
        {
            web.MapGet("/", () => Results.Content(EventsPage, "text/html; charset=utf-8"));
            web.MapGet("/events", (CancellationToken aborted) => TypedResults.ServerSentEvents(Messages(third.Task, aborted), eventType: "progress"));
        });

        await browser.RunAsync(async page =>
        {
            await page.GotoAsync(app.Url("/"));
            await page.WaitForTextAsync("#status", "message 2");
            Assert.Equal(2, await page.Page.Locator("#log li").CountAsync());
            third.SetResult();
            await page.WaitForTextAsync("#status", "message 3");
            Assert.Equal(3, await page.Page.Locator("#log li").CountAsync());
            await page.ScreenshotAsync("three-events");
        });
    }

    [Fact]
    public async Task A_server_that_stops_breaks_the_event_stream_and_the_page_says_so()
    {
        LoopbackWebApp app = await LoopbackWebApp.StartAsync(web =>
        {
            web.MapGet("/", () => Results.Content(LostConnectionPage, "text/html; charset=utf-8"));
            // The stream stays open until the browser leaves or the server stops: ending it on ApplicationStopping
            // lets the server stop at once instead of waiting for the open request.
            web.MapGet("/events", (HttpContext context) => TypedResults.ServerSentEvents(
                UntilStopped(context.RequestAborted, web.Lifetime.ApplicationStopping)));
        });
        try
        {
            IReadOnlyList<string> console = [];
            await browser.RunAsync(async page =>
            {
                // EventSource tries to reconnect to the stopped server; each try is a console error the test expects.
                page.IgnoreConsoleErrors("ERR_CONNECTION_REFUSED");
                await page.GotoAsync(app.Url("/"));
                await page.WaitForTextAsync("#status", "message 1");
                await app.DisposeAsync();
                await page.WaitForTextAsync("#status", "connection lost", TimeSpan.FromSeconds(5));
                // The first reconnection comes 200 ms after the loss (the stream's retry field).
                for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(5) && !page.ConsoleErrors.Any(IsRefused);)
                {
                    await Task.Delay(50);
                }

                console = page.ConsoleLines;
            });
            output.WriteLine(string.Join(Environment.NewLine, console));
            Assert.Contains(console, IsRefused);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_console_error_fails_the_test_with_the_error_and_a_screenshot()
    {
        await using LoopbackWebApp app = await LoopbackWebApp.StartAsync(web =>
            web.MapGet("/", () => Results.Content("<!doctype html><p id=\"status\">ready</p><script>console.error('the plot has no data'); null.x;</script>", "text/html")));

        BrowserTestException failure = await Assert.ThrowsAsync<BrowserTestException>(() => browser.RunAsync(async page =>
        {
            await page.GotoAsync(app.Url("/"));
            await page.WaitForTextAsync("#status", "ready");
        }));

        output.WriteLine(failure.Message);
        Assert.Contains("2 console error(s)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("the plot has no data", failure.Message, StringComparison.Ordinal);
        Assert.Contains("uncaught: ", failure.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(ArtifactPath("console-errors")), "no screenshot of the failing page");
    }

    [Fact]
    public async Task Ignored_console_errors_do_not_fail_the_test()
    {
        await using LoopbackWebApp app = await LoopbackWebApp.StartAsync(web =>
            web.MapGet("/", () => Results.Content("<!doctype html><img src=\"/missing.png\" alt=\"\"><p id=\"status\">ready</p>", "text/html")));

        IReadOnlyList<string> errors = [];
        await browser.RunAsync(async page =>
        {
            page.IgnoreConsoleErrors("404");
            await page.GotoAsync(app.Url("/"));
            await page.WaitForConditionAsync("document.images[0].complete", "the missing image to fail");
            // The console event of the failed load may arrive a moment after the image's state changes.
            await page.Page.WaitForTimeoutAsync(200);
            errors = page.ConsoleErrors;
        });

        Assert.Contains(errors, error => error.Contains("404", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wait_that_times_out_says_what_it_waited_for_and_keeps_a_screenshot()
    {
        await using LoopbackWebApp app = await LoopbackWebApp.StartAsync(web =>
            web.MapGet("/", () => Results.Content("<!doctype html><p id=\"status\">iteration 7</p>", "text/html")));

        BrowserTestException failure = await Assert.ThrowsAsync<BrowserTestException>(() => browser.RunAsync(async page =>
        {
            await page.GotoAsync(app.Url("/"));
            await page.WaitForTextAsync("#status", "iteration 8", TimeSpan.FromMilliseconds(300));
        }));

        output.WriteLine(failure.Message);
        Assert.IsType<TimeoutException>(failure.InnerException);
        Assert.Contains("waited 0.3 s for #status to contain \"iteration 8\"; 1 element(s) match, the first with text \"iteration 7\"", failure.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(ArtifactPath("failure")), "no screenshot of the failing page");
    }

    private static bool IsRefused(string line) => line.Contains("net::ERR_CONNECTION_REFUSED", StringComparison.Ordinal) && line.Contains("/events", StringComparison.Ordinal);

    private static async IAsyncEnumerable<SseItem<string>> UntilStopped([EnumeratorCancellation] CancellationToken aborted, CancellationToken stopping)
    {
        // A short reconnection interval: the page notices the stopped server within a fraction of a second.
        yield return new SseItem<string>("message 1") { ReconnectionInterval = TimeSpan.FromMilliseconds(200) };
        using var either = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async IAsyncEnumerable<string> Messages(Task third, [EnumeratorCancellation] CancellationToken aborted)
    {
        yield return "message 1";
        yield return "message 2";
        await third.WaitAsync(aborted);
        yield return "message 3";
    }

    private string ArtifactPath(string label, [CallerMemberName] string test = "") =>
        Path.Combine(browser.ArtifactsDirectory, BrowserArtifacts.FileName($"{nameof(BrowserHarnessTests)}.{test}", label));
}
