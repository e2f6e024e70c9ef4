using System.Globalization;
using NeuralStyle.Jobs;
using NeuralStyle.Runtime;
using NeuralStyle.Transfer;
using NeuralStyle.Web;

namespace NeuralStyle.Bench;

/// <summary>
/// What watching costs (issue 16: at most 3% per iteration): the README's main job at one scale, run plainly and with
/// a live view that a client watches as a browser does (it reads the event stream and fetches every new picture),
/// alternating in one process (ABBA order), compared by the median seconds per iteration.
/// </summary>
/// <remarks>usage: web-overhead [--rounds 6] [--iterations 60] [--width 256] [--threads 2]</remarks>
internal static class LiveViewOverhead
{
    public static int Run(string[] args)
    {
        int rounds = 6, iterations = 60, width = 256, threads = 2;
        for (int a = 1; a < args.Length; a++)
        {
            int value = int.Parse(args[++a], CultureInfo.InvariantCulture);
            switch (args[a - 1])
            {
                case "--rounds": rounds = value; break;
                case "--iterations": iterations = value; break;
                case "--width": width = value; break;
                case "--threads": threads = value; break;
                default: throw new ArgumentException($"unknown option {args[a - 1]}");
            }
        }

        TorchRuntime.Initialize(new RuntimeOptions(threads));
        string root = Repository.Root();
        string scratch = Directory.CreateTempSubdirectory("web-overhead-").FullName;
        try
        {
            StyleJobSpec spec = new()
            {
                Content = Path.Combine(root, "examples", "chelsea.png"),
                Styles = [Path.Combine(root, "examples", "brick.png")],
                Initial = Path.Combine(root, "examples", "chelsea.png"),
                Output = Path.Combine(scratch, "out.png"),
                Width = width,
                Scales = 1,
                Overwrite = true,
                Settings = new StyleTransferSettings { Iterations = iterations, Seed = 1 },
            };

            // One unmeasured run of each: the network loaded, the kernels warm, the server's code jitted.
            Measure(spec, watched: false);
            Measure(spec, watched: true);
            var plain = new List<double>();
            var watched = new List<double>();
            var pictures = new List<int>();
            Console.WriteLine($"| round | plain s/it | watched s/it | ratio | pictures fetched |");
            Console.WriteLine($"|---:|---:|---:|---:|---:|");
            for (int r = 0; r < rounds; r++)
            {
                // ABBA: drifts in the machine's speed fall on both variants alike.
                bool watchedFirst = r % 2 == 1;
                (double a, int fa) = Measure(spec, watched: watchedFirst);
                (double b, int fb) = Measure(spec, watched: !watchedFirst);
                (double p, double w, int f) = watchedFirst ? (b, a, fa) : (a, b, fb);
                plain.Add(p);
                watched.Add(w);
                pictures.Add(f);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r + 1} | {p:0.0000} | {w:0.0000} | {w / p:0.000} | {f} |"));
            }

            double ratio = BenchData.Median(watched.Zip(plain, (w, p) => w / p));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median plain {BenchData.Median(plain):0.0000} s/it, watched {BenchData.Median(watched):0.0000} s/it; median of the rounds' ratios {ratio:0.000} ({(ratio - 1) * 100:+0.0;-0.0}%)"));
            return 0;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    // The median seconds per iteration (differences of the iterations' start times, the first two left out), and how
    // many pictures the watcher fetched.
    private static (double SecondsPerIteration, int Pictures) Measure(StyleJobSpec spec, bool watched)
    {
        var starts = new List<double>();
        void Time(JobEvent e)
        {
            if (e is EngineProgress { Event: IterationStarted i })
            {
                starts.Add(i.Elapsed.TotalSeconds);
            }
        }

        int fetched = 0;
        if (!watched)
        {
            StyleJob.Run(spec, JobContext.None, Time, control: new RunControl());
        }
        else
        {
            var control = new RunControl(LiveView.PreviewInterval);
            LiveView view = LiveView.StartAsync(new WebEndpoint(System.Net.IPAddress.Loopback, 0), spec, control).GetAwaiter().GetResult();
            try
            {
                Task<int> watcher = Watch(view.Address);
                StyleJob.Run(spec, JobContext.None, e =>
                {
                    Time(e);
                    view.Observe(e);
                }, control: control);
                fetched = watcher.GetAwaiter().GetResult();
            }
            finally
            {
                view.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        double[] steps = [.. starts.Skip(2).Zip(starts.Skip(3), (a, b) => b - a)];
        return (BenchData.Median(steps), fetched);
    }

    // A browser's load: the event stream read to its end, every announced picture fetched.
    private static async Task<int> Watch(Uri address)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
        using HttpResponseMessage response = await http.GetAsync("events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        int fetched = 0;
        string? name = null;
        while (await reader.ReadLineAsync() is string line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.Length == 0 && name is "picture")
            {
                byte[] png = await http.GetByteArrayAsync("picture.png");
                fetched += png.Length > 0 ? 1 : 0;
            }
        }

        return fetched;
    }
}
