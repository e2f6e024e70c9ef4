using System.Globalization;
using System.Text;
using System.Text.Json;
using NeuralStyle.Cli;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Browser;

/// <summary>
/// `--web` in a real browser: a run of the README's main job (at a smaller size) watched in headless chromium. The
/// page shows the picture and the loss plot, the picture changes while the run goes on, and the stop button ends the
/// run as Ctrl-C does (exit 130, the picture and a complete manifest written). Screenshots are kept.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveViewBrowserTests(BrowserFixture browser)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    // What the page draws from the picture: a sum of its pixels, read back from a canvas.
    private const string PictureSignature = """
        (() => {
          const img = document.getElementById('picture');
          if (!img.complete || img.naturalWidth === 0) return 0;
          const c = document.createElement('canvas');
          c.width = img.naturalWidth; c.height = img.naturalHeight;
          const g = c.getContext('2d');
          g.drawImage(img, 0, 0);
          const d = g.getImageData(0, 0, c.width, c.height).data;
          let s = 0;
          for (let i = 0; i < d.length; i += 4) s += d[i] * 3 + d[i + 1] * 5 + d[i + 2] * 7;
          return s;
        })()
        """;

    // Pixels of a loss curve's colour on the plot (the style term is drawn in #D55E00, the total in #3B1C5A).
    private const string PlotInk = """
        (() => {
          const c = document.getElementById('plot');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let style = 0, total = 0;
          for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] < 200) continue;
            if (d[i] > 180 && d[i + 1] > 60 && d[i + 1] < 130 && d[i + 2] < 50) style++;
            if (d[i] < 90 && d[i + 1] < 60 && d[i + 2] > 60 && d[i + 2] < 120) total++;
          }
          return [style, total];
        })()
        """;

    [Fact]
    public async Task The_page_shows_the_picture_forming_and_the_losses_and_stop_ends_the_run_with_its_files()
    {
        using var temp = new TempDirectory();
        var error = new LineWatchingWriter("Web view: ");
        string[] args =
        [
            "--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"), "--initial", Fixtures.Example("chelsea.png"),
            "--width", "192", "--scales", "1", "--iterations", "100000", "--checkpoint-iterations", "10", "--seed", "1",
            "--output", temp.File("out.png"), "--web", "0",
        ];
        // Far more iterations than the test waits for: only the stop button can end this run in time.
        Task<int> run = Task.Factory.StartNew(() => NeuralStyleApp.Run(args, TextWriter.Null, error), TaskCreationOptions.LongRunning);
        string line = await error.Line.WaitAsync(Long);
        var address = new Uri(line["Web view: ".Length..].Trim());

        try
        {
            await browser.RunAsync(async page =>
            {
                await page.GotoAsync(address.ToString());
                await page.WaitForConditionAsync("Number(document.getElementById('picture').dataset.version) >= 1", "the first picture", Long);
                await page.WaitForConditionAsync("Number(document.getElementById('plot').dataset.points) >= 3", "three loss rows on the plot", Long);
                await page.WaitForConditionAsync("document.getElementById('eta').textContent !== '–'", "an ETA", Long);
                double first = await page.Page.EvaluateAsync<double>(PictureSignature);
                Assert.True(first > 0, "the picture is not drawn");
                await page.ScreenshotAsync("running");

                // The picture changes while the run goes on, without reloading the page.
                await page.WaitForConditionAsync($"{PictureSignature} !== {first.ToString("R", CultureInfo.InvariantCulture)}", "a changed picture", Long);
                int[] ink = await page.Page.EvaluateAsync<int[]>(PlotInk);
                Assert.True(ink[0] > 20 && ink[1] > 20, $"the plot shows no curves (style-coloured pixels {ink[0]}, total-coloured {ink[1]})");
                Assert.Matches("^[0-9]+ of 100000$", await page.TextAsync("#iteration"));
                string options = await page.TextAsync("#options");
                Assert.Contains("settings.iterations100000", options, StringComparison.Ordinal);
                await page.ScreenshotAsync("changed");

                await page.Page.ClickAsync("#stop");
                await page.WaitForConditionAsync("document.getElementById('status').dataset.state === 'stopped'", "the stopped status", Long);
                Assert.Contains(temp.File("out.png"), await page.TextAsync("#files"), StringComparison.Ordinal);
                Assert.True(await page.Page.IsDisabledAsync("#stop"));
                await page.ScreenshotAsync("stopped");
            });
        }
        finally
        {
            // A failed test must not leave the run going: stop it as the page would.
            if (!run.IsCompleted)
            {
                await StopAsync(address);
            }
        }

        Assert.Equal(StyleCommand.StoppedExitCode, await run.WaitAsync(Long));
        Assert.True(File.Exists(temp.File("out.png")));
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(temp.File("out.json")));
        Assert.True(manifest.RootElement.GetProperty("stopped").GetBoolean());
        Assert.True(File.Exists(temp.File("out.state")));
        Assert.Contains(error.Lines(), l => l.StartsWith("Stopped after iteration ", StringComparison.Ordinal));
    }

    private static async Task StopAsync(Uri address)
    {
        using var http = new HttpClient { BaseAddress = address };
        using var stop = new HttpRequestMessage(HttpMethod.Post, "/stop");
        stop.Headers.Add(NeuralStyle.Web.LiveView.StopHeader, await Web.LivePageToken.ReadAsync(http));
        await http.SendAsync(stop);
    }

    /// <summary>Standard error of an in-process run: collects lines, and completes <see cref="Line"/> with the first that starts with a prefix.</summary>
    private sealed class LineWatchingWriter(string prefix) : TextWriter
    {
        private readonly StringBuilder _text = new();
        private readonly TaskCompletionSource<string> _line = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Line => _line.Task;

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
                if (value == '\n' && !_line.Task.IsCompleted && Lines().FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is string line)
                {
                    _line.TrySetResult(line);
                }
            }
        }

        public string[] Lines()
        {
            lock (_text)
            {
                return _text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }
}
