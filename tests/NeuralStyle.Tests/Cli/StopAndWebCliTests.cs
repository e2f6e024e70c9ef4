using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>Ctrl-C ends a run as a finished one (exit 130); --web is checked before the run and serves while it goes on.</summary>
public class StopAndWebCliTests
{
    private static string[] Run(string output, int iterations, params string[] extra) =>
    [
        "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.TinyVgg("content.png"),
        "--styles", Fixtures.TinyVgg("style1.png"), "--output", output, "--iterations", iterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--scales", "1", "--print-iterations", "1", "--seed", "3", "--threads", "1", .. extra,
    ];

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private const int SigInt = 2;

    [Fact]
    public void Ctrl_c_writes_the_best_picture_and_a_complete_manifest_and_exits_130()
    {
        using var temp = new TempDirectory();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "neural-style.dll"));
        // Far more iterations than the test waits for: only the signal can end this run in time.
        foreach (string a in Run(temp.File("out.png"), 1_000_000))
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start)!;
        var lines = new List<string>();
        var signalled = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
            }

            if (e.Data.StartsWith("Iteration 3/", StringComparison.Ordinal) && signalled.TrySetResult())
            {
                Assert.Equal(0, Kill(process.Id, SigInt));
            }
        };
        process.BeginErrorReadLine();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the run did not stop within 2 minutes of Ctrl-C");
        }

        process.WaitForExit();
        string[] error;
        lock (lines)
        {
            error = [.. lines];
        }

        Assert.True(signalled.Task.IsCompleted, string.Join('\n', error));
        Assert.Equal(130, process.ExitCode);
        Assert.Equal("", stdout);
        Assert.Contains("Stopping after the iteration under way (Ctrl-C again to quit at once)", error);
        string stoppedLine = Assert.Single(error, l => l.StartsWith("Stopped after iteration ", StringComparison.Ordinal));
        Assert.EndsWith($"of 1000000: {temp.File("out.png")} holds the best picture; go on with --resume {temp.File("out.json")}", stoppedLine);
        Assert.True(File.Exists(temp.File("out.png")));
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(temp.File("out.json")));
        Assert.True(manifest.RootElement.GetProperty("stopped").GetBoolean());
        Assert.True(manifest.RootElement.GetProperty("completed").GetBoolean());
        int done = manifest.RootElement.GetProperty("completedIterations").GetInt32();
        Assert.InRange(done, 3, 999_999);
        Assert.Contains($"Stopped after iteration {done} of", stoppedLine, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("web", "neural-style: error: --web: 'web' is not [HOST:]PORT: the port must be a number from 0 to 65535")]
    [InlineData("name.example:80", "neural-style: error: --web: 'name.example:80' is not [HOST:]PORT: the host must be an IP address or localhost (a name would be resolved to addresses we could not all listen on)")]
    public void A_bad_web_address_is_a_usage_error(string value, string expected)
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke(Run(temp.File("out.png"), 2, "--web", value));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal([expected], run.ErrorLines);
        Assert.False(File.Exists(temp.File("out.png")));
    }

    [Fact]
    public void A_web_port_in_use_stops_before_the_run()
    {
        using var temp = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        CliRun run = CliRun.Invoke(Run(temp.File("out.png"), 2, "--web", $"127.0.0.1:{port}"));
        Assert.Equal(1, run.ExitCode);
        Assert.Equal([$"neural-style: error: --web 127.0.0.1:{port}: cannot listen: the address is already in use (another program listens there; choose another port, or 0 for any free one)"], run.ErrorLines);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void A_run_with_a_web_view_says_where_it_is_and_closes_it_at_the_end()
    {
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke(Run(temp.File("out.png"), 3, "--web", "0"));
        Assert.True(run.ExitCode == 0, run.Error);
        string line = run.ErrorLines[0];
        Assert.Matches("^Web view: http://127\\.0\\.0\\.1:[0-9]+/$", line);
        Assert.True(File.Exists(temp.File("out.png")));
        var address = new Uri(line["Web view: ".Length..]);
        using var client = new TcpClient();
        Assert.ThrowsAny<SocketException>(() => client.Connect(IPAddress.Loopback, address.Port));
    }
}
