using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Transfer;
using NeuralStyle.Web;
using Xunit;

namespace NeuralStyle.Tests.Web;

/// <summary>The live view's server, over HTTP: the page, the event stream, the picture, the stop and what it refuses.</summary>
public class LiveViewTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static StyleJobSpec Spec() => new()
    {
        Content = "content.png",
        Styles = ["style.png"],
        Output = "out.png",
        Settings = new StyleTransferSettings { Iterations = 7, Seed = 3 },
    };

    private static RgbImage Picture(int width, int height, float value)
    {
        var image = new RgbImage(width, height);
        Array.Fill(image.Pixels, value);
        return image;
    }

    private static Task<LiveView> Start(RunControl control) => LiveView.StartAsync(new WebEndpoint(IPAddress.Loopback, 0), Spec(), control);

    [Fact]
    public async Task The_page_and_its_files_are_served_with_a_fresh_stop_token()
    {
        var control = new RunControl();
        await using LiveView view = await Start(control);
        Assert.Equal("127.0.0.1", view.Address.Host);
        using var http = new HttpClient { BaseAddress = view.Address };
        string token = await LivePageToken.ReadAsync(http);
        Assert.Matches("^[0-9A-F]{32}$", token);
        Assert.Contains("/live.js", await http.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Contains("EventSource", await http.GetStringAsync("/live.js"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/live.css")).StatusCode);
        // No picture yet.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/picture.png")).StatusCode);

        await using LiveView other = await Start(new RunControl());
        using var otherHttp = new HttpClient { BaseAddress = other.Address };
        Assert.NotEqual(token, await LivePageToken.ReadAsync(otherHttp));
    }

    [Fact]
    public async Task The_stream_starts_with_the_state_and_carries_progress_losses_pictures_and_the_end()
    {
        var control = new RunControl();
        await using LiveView view = await Start(control);
        using SseClient events = await SseClient.OpenAsync(view.Address);
        JsonElement state = await events.WaitForAsync("state", timeout: Wait);
        Assert.Equal(7, state.GetProperty("options").GetProperty("settings").GetProperty("iterations").GetInt32());
        Assert.Equal("running", state.GetProperty("status").GetProperty("state").GetString());

        view.Observe(new ScaleStarted(2, 3, 40, 30, 7));
        JsonElement progress = await events.WaitForAsync("progress", timeout: Wait);
        Assert.Equal((2, 3, 40), (progress.GetProperty("scale").GetInt32(), progress.GetProperty("scales").GetInt32(), progress.GetProperty("width").GetInt32()));

        view.Observe(new EngineProgress(new IterationStarted(1, 7, TimeSpan.Zero)));
        view.Observe(new EngineProgress(new IterationLosses(1, new LossBreakdown(1.5, 20, 0.25))));
        JsonElement loss = await events.WaitForAsync("loss", timeout: Wait);
        Assert.Equal([2, 1], new[] { loss[0].GetInt32(), loss[1].GetInt32() });
        Assert.Equal([1.5, 20, 0.25, 21.75], new[] { loss[3].GetDouble(), loss[4].GetDouble(), loss[5].GetDouble(), loss[6].GetDouble() });

        view.Observe(new EngineProgress(new PreviewImage(1, 7, Picture(40, 30, 200), TimeSpan.Zero)));
        JsonElement picture = await events.WaitForAsync("picture", timeout: Wait);
        Assert.Equal(("preview", 1), (picture.GetProperty("kind").GetString(), picture.GetProperty("version").GetInt32()));
        using var http = new HttpClient { BaseAddress = view.Address };
        HttpResponseMessage png = await http.GetAsync("/picture.png");
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        string file = Path.Combine(Path.GetTempPath(), $"live-{Guid.NewGuid():N}.png");
        try
        {
            await File.WriteAllBytesAsync(file, await png.Content.ReadAsByteArrayAsync());
            RgbImage decoded = ImageReader.Read(file);
            Assert.Equal((40, 30, 200f), (decoded.Width, decoded.Height, decoded.Pixels[0]));
        }
        finally
        {
            File.Delete(file);
        }

        // The same plot as --plot, on request.
        HttpResponseMessage plot = await http.GetAsync("/plot.png");
        Assert.Equal("image/png", plot.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await plot.Content.ReadAsByteArrayAsync())[..4]);

        // A page opened now gets the history in its state.
        using SseClient late = await SseClient.OpenAsync(view.Address);
        JsonElement lateState = await late.WaitForAsync("state", timeout: Wait);
        Assert.Equal(1, lateState.GetProperty("losses").GetArrayLength());
        Assert.Equal(1, lateState.GetProperty("picture").GetProperty("version").GetInt32());

        view.Observe(new JobFinished("/out.png", "/out.json", TimeSpan.FromSeconds(1), StoppedAfter: 1));
        JsonElement end = await events.WaitForAsync("status", timeout: Wait);
        Assert.Equal("stopped", end.GetProperty("state").GetString());
        Assert.Equal("/out.png", end.GetProperty("output").GetString());
        // The stream ends after the last status.
        Assert.Null(await events.NextAsync(Wait));
    }

    [Fact]
    public async Task The_eta_of_the_scale_and_of_the_run_follow_the_pace_and_the_later_scales_pixels()
    {
        await using LiveView view = await Start(new RunControl());
        using var http = new HttpClient { BaseAddress = view.Address };
        view.Observe(new ScalesPlanned([new ScaleStep(40, 30, 10), new ScaleStep(80, 60, 20)]));
        view.Observe(new ScaleStarted(1, 2, 40, 30, 10));
        // A resumed scale may start at any iteration: the pace counts from the first one seen.
        view.Observe(new EngineProgress(new IterationStarted(5, 10, TimeSpan.FromSeconds(1))));
        view.Observe(new EngineProgress(new IterationStarted(7, 10, TimeSpan.FromSeconds(5))));
        JsonElement progress = JsonDocument.Parse(await http.GetStringAsync("/state")).RootElement.GetProperty("progress");
        // 2 s an iteration; iterations 7..10 left here (8 s), then 20 iterations of four times the pixels (160 s).
        Assert.Equal(8, progress.GetProperty("eta").GetDouble(), 1e-9);
        Assert.Equal(168, progress.GetProperty("runEta").GetDouble(), 1e-9);

        view.Observe(new ScaleStarted(2, 2, 80, 60, 20));
        view.Observe(new EngineProgress(new IterationStarted(1, 20, TimeSpan.Zero)));
        progress = JsonDocument.Parse(await http.GetStringAsync("/state")).RootElement.GetProperty("progress");
        Assert.Equal(JsonValueKind.Null, progress.GetProperty("runEta").ValueKind);
        view.Observe(new EngineProgress(new IterationStarted(3, 20, TimeSpan.FromSeconds(16))));
        progress = JsonDocument.Parse(await http.GetStringAsync("/state")).RootElement.GetProperty("progress");
        Assert.Equal(8 * 18, progress.GetProperty("runEta").GetDouble(), 1e-9);
    }

    [Fact]
    public async Task A_stop_needs_the_pages_token_and_then_asks_the_run_to_stop()
    {
        var control = new RunControl();
        await using LiveView view = await Start(control);
        using var http = new HttpClient { BaseAddress = view.Address };
        string token = await LivePageToken.ReadAsync(http);

        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync("/stop", null)).StatusCode);
        var wrong = new HttpRequestMessage(HttpMethod.Post, "/stop");
        wrong.Headers.Add(LiveView.StopHeader, new string('0', 32));
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(wrong)).StatusCode);
        // A GET changes nothing.
        Assert.NotEqual(HttpStatusCode.Accepted, (await http.GetAsync("/stop")).StatusCode);
        Assert.False(control.StopRequested);

        using SseClient events = await SseClient.OpenAsync(view.Address);
        await events.WaitForAsync("state", timeout: Wait);
        var right = new HttpRequestMessage(HttpMethod.Post, "/stop");
        right.Headers.Add(LiveView.StopHeader, token);
        Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(right)).StatusCode);
        Assert.True(control.StopRequested);
        JsonElement status = await events.WaitForAsync("status", timeout: Wait);
        Assert.Equal("stopping", status.GetProperty("state").GetString());
    }

    [Fact]
    public async Task On_the_loopback_only_loopback_host_names_are_answered()
    {
        await using LiveView view = await Start(new RunControl());
        using var http = new HttpClient { BaseAddress = view.Address };
        var rebound = new HttpRequestMessage(HttpMethod.Get, "/");
        rebound.Headers.Host = $"attacker.example:{view.Address.Port}";
        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await http.SendAsync(rebound)).StatusCode);
        var named = new HttpRequestMessage(HttpMethod.Get, "/");
        named.Headers.Host = $"localhost:{view.Address.Port}";
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(named)).StatusCode);
    }

    [Fact]
    public async Task A_port_in_use_is_refused_in_one_line_naming_the_option()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        IOException e = await Assert.ThrowsAsync<IOException>(() => LiveView.StartAsync(new WebEndpoint(IPAddress.Loopback, port), Spec(), new RunControl()));
        Assert.Equal($"--web 127.0.0.1:{port}: cannot listen: the address is already in use (another program listens there; choose another port, or 0 for any free one)", e.Message);
    }

    [Theory]
    [InlineData("8080", "127.0.0.1", 8080)]
    [InlineData("0", "127.0.0.1", 0)]
    [InlineData("0.0.0.0:9000", "0.0.0.0", 9000)]
    [InlineData("localhost:81", "127.0.0.1", 81)]
    [InlineData("[::1]:5000", "::1", 5000)]
    public void Endpoints_are_read_with_the_loopback_as_default_host(string text, string address, int port)
    {
        WebEndpoint endpoint = WebEndpoint.Parse(text);
        Assert.Equal((IPAddress.Parse(address), port), (endpoint.Address, endpoint.Port));
    }

    [Theory]
    [InlineData("")]
    [InlineData("web")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("example.com:80")]
    [InlineData("127.0.0.1:")]
    public void Bad_endpoints_are_refused(string text) => Assert.Throws<FormatException>(() => WebEndpoint.Parse(text));
}
