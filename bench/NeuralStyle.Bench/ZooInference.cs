using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuralStyle.Runtime;
using NeuralStyle.Zoo;
using static TorchSharp.torch;

/// <summary>
/// Issue 14, items 3-4: inference throughput of every zoo model at batch 1 and 8 against torchvision's model in PyTorch
/// (bench/pytorch_zoo_reference.py, one Python process kept for the whole run), at each model's native input size,
/// evaluation mode, no autograd on either side, random weights, the same thread count.
/// </summary>
/// <remarks>
/// usage: dotnet bench/NeuralStyle.Bench/bin/Release/net10.0/NeuralStyle.Bench.dll zoo [--threads 2] [--rounds 2]
///        [--warmup 1] [--timed 3] [--batches 1 8] [--models NAME ...] [--python /usr/bin/python3] [--no-pytorch]
///        [--with-autograd]
/// For each model: ours and torchvision's are built once, then each round runs, for every batch size,
/// <c>--warmup</c> untimed and then <c>--timed</c> timed batches, alternating batch by batch (ours, theirs, ours,
/// theirs, ...), so that each pair shares the machine's slow and quiet moments. A figure is the median over all rounds' timed batches. The ratio is ours / theirs
/// in seconds per batch (below 1: ours is faster). <c>--with-autograd</c> also times ours through a plain
/// <c>call</c> with autograd on (the path before <see cref="ZooModel.Infer"/>), alternating with the others, to show
/// what inference mode gains.
/// </remarks>
internal static class ZooInference
{
    /// <summary>The zoo models torchvision lacks, and why ours cannot be compared.</summary>
    private static readonly Dictionary<string, string> NoTorchvision = new(StringComparer.OrdinalIgnoreCase)
    {
        ["lenet5"] = "no torchvision model",
        ["lenet5-modern"] = "no torchvision model",
        ["alexnet-original"] = "no torchvision model (its alexnet is the one-tower variant, our `alexnet`)",
        ["bninception"] = "no torchvision model",
        ["enet"] = "no torchvision model",
        ["fractalnet"] = "no torchvision model",
    };

    public static int Run(string[] args)
    {
        int threads = 2, rounds = 2, warmup = 1, timed = 3;
        var batches = new List<int>();
        var models = new List<string>();
        string python = "/usr/bin/python3";
        bool withPytorch = true, withAutograd = false;
        for (int a = 1; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--threads": threads = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--timed": timed = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--python": python = args[++a]; break;
                case "--no-pytorch": withPytorch = false; break;
                case "--with-autograd": withAutograd = true; break;
                case "--batches":
                    while (a + 1 < args.Length && !args[a + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        batches.Add(int.Parse(args[++a], CultureInfo.InvariantCulture));
                    }

                    break;
                case "--models":
                    while (a + 1 < args.Length && !args[a + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        models.Add(args[++a]);
                    }

                    break;
                default: Console.Error.WriteLine($"unknown argument {args[a]}"); return 2;
            }
        }

        if (batches.Count == 0)
        {
            batches.AddRange([1, 8]);
        }

        if (models.Count == 0)
        {
            models.AddRange(ModelZoo.Names);
        }

        if (models.FirstOrDefault(m => !ModelZoo.Contains(m)) is string unknown)
        {
            Console.Error.WriteLine($"--models: '{unknown}' is not a zoo model; the models are: {string.Join(", ", ModelZoo.Names)}");
            return 2;
        }

        RuntimeReport report = TorchRuntime.Initialize(new RuntimeOptions(threads));
        Console.WriteLine($"CPU {report.Cpu.Model} ({report.Cpu.Signature}; {string.Join(' ', report.Cpu.Extensions)}); threads {report.Threads}; .NET {report.DotNet}, TorchSharp {report.TorchSharp}, LibTorch {report.LibTorch}, oneDNN {report.OneDnn}; {report.Guard.Summary}");
        using PythonPeer? peer = withPytorch ? PythonPeer.Start(python, threads) : null;
        if (peer is not null)
        {
            JsonElement info = peer.Ask(new { cmd = "info" });
            Console.WriteLine($"PyTorch {info.GetProperty("torch")}, torchvision {info.GetProperty("torchvision")}, Python {info.GetProperty("python")}; BLAS {info.GetProperty("blas")} (OPENBLAS_NUM_THREADS {info.GetProperty("openblas_threads")}); threads {info.GetProperty("threads")}; mkldnn {info.GetProperty("mkldnn")}");
        }

        Console.WriteLine($"{rounds} rounds of {warmup} warm-up + {timed} timed batches per side and batch size, alternating batch by batch; medians of {rounds * timed} batches");
        Console.WriteLine();
        var rows = new List<string>();
        foreach (string name in models)
        {
            rows.Add(Measure(ModelZoo.Describe(name), peer, batches, rounds, warmup, timed, withAutograd));
        }

        Console.WriteLine();
        string header = string.Join(" | ", batches.Select(b => $"ours b{b} img/s | torchvision b{b}"));
        int last = batches[^1];
        Console.WriteLine($"| model | torchvision name | parameters (ours / torchvision) | params equal? | {header} | ratio b{last} (ours time / theirs) | b{last} pair ratios min-max | target met |" + (withAutograd ? $" ours with autograd b{last} img/s | inference mode gain b{last} |" : ""));
        Console.WriteLine("|" + string.Concat(Enumerable.Repeat("---|", 7 + (2 * batches.Count) + (withAutograd ? 2 : 0))));
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    private static string Measure(ModelInfo info, PythonPeer? peer, List<int> batches, int rounds, int warmup, int timed, bool withAutograd)
    {
        string? torchvision = NoTorchvision.ContainsKey(info.Name) ? null : info.Name;
        using ZooModel model = ModelZoo.Create(info.Name, new ZooOptions(Seed: 0));
        long ours = model.parameters().Sum(p => p.numel());
        long? theirs = null;
        if (peer is not null && torchvision is not null)
        {
            theirs = peer.Ask(new { cmd = "load", name = torchvision, input = new[] { info.Input.Channels, info.Input.Height, info.Input.Width } }).GetProperty("parameters").GetInt64();
        }

        var oursTimes = batches.ToDictionary(b => b, _ => new List<double>());
        var theirTimes = batches.ToDictionary(b => b, _ => new List<double>());
        var autogradTimes = batches.ToDictionary(b => b, _ => new List<double>());
        var inputs = batches.ToDictionary(b => b, b => RandomInput(info.Input, b));
        try
        {
            for (int r = 0; r < rounds; r++)
            {
                foreach (int batch in batches)
                {
                    // Batch by batch, ours then theirs (then ours with autograd): each pair shares the machine's moment.
                    for (int i = 0; i < warmup + timed; i++)
                    {
                        double seconds = TimeOurs(model, inputs[batch], autograd: false);
                        double? their = theirs is null ? null : peer!.Ask(new { cmd = "time", batch, warmup = 0, timed = 1 }).GetProperty("samples")[0].GetDouble();
                        double? autograd = withAutograd ? TimeOurs(model, inputs[batch], autograd: true) : null;
                        if (i < warmup)
                        {
                            continue;
                        }

                        oursTimes[batch].Add(seconds);
                        if (their is double t)
                        {
                            theirTimes[batch].Add(t);
                        }

                        if (autograd is double g)
                        {
                            autogradTimes[batch].Add(g);
                        }
                    }
                }
            }
        }
        finally
        {
            foreach (Tensor input in inputs.Values)
            {
                input.Dispose();
            }
        }

        if (theirs is not null)
        {
            peer!.Ask(new { cmd = "unload" });
        }

        string Rate(int batch, List<double> times) => times.Count == 0 ? "" : (batch / BenchData.Median(times)).ToString("0.0", CultureInfo.InvariantCulture);
        var cells = new List<string> { info.Name, torchvision ?? NoTorchvision[info.Name] };
        cells.Add(theirs is null ? ours.ToString("N0", CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{ours:N0} / {theirs:N0}"));
        cells.Add(theirs is null ? "" : ours == theirs ? "yes" : "NO");
        foreach (int batch in batches)
        {
            cells.Add(Rate(batch, oursTimes[batch]));
            cells.Add(Rate(batch, theirTimes[batch]));
        }

        int last = batches[^1];
        double? ratio = theirs is null ? null : BenchData.Median(oursTimes[last]) / BenchData.Median(theirTimes[last]);
        cells.Add(ratio is double x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "");
        // Each timed batch of ours ran next to one of theirs: the spread of those pairs' ratios is the run's noise.
        double[] pairs = theirs is null ? [] : [.. oursTimes[last].Zip(theirTimes[last], (o, t) => o / t).Order()];
        cells.Add(pairs.Length == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{pairs[0]:0.00}-{pairs[^1]:0.00}"));
        cells.Add(ratio is double y ? (y <= 1.0 ? "yes" : "no") : "");
        if (withAutograd)
        {
            cells.Add(Rate(last, autogradTimes[last]));
            cells.Add((BenchData.Median(autogradTimes[last]) / BenchData.Median(oursTimes[last])).ToString("0.00", CultureInfo.InvariantCulture));
        }

        string row = $"| {string.Join(" | ", cells)} |";
        Console.WriteLine(row);
        return row;
    }

    private static Tensor RandomInput(InputShape shape, int batch)
    {
        using var generator = new Generator(1);
        return randn([batch, shape.Channels, shape.Height, shape.Width], generator: generator);
    }

    /// <summary>Seconds for one batch through <see cref="ZooModel.Infer"/> (or a plain call with autograd on).</summary>
    private static double TimeOurs(ZooModel model, Tensor input, bool autograd)
    {
        // The scope frees the batch's intermediates and output before the next, as Python's reference counting does.
        using var scope = NewDisposeScope();
        long start = Stopwatch.GetTimestamp();
        Tensor output = autograd ? model.call(input) : model.Infer(input);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        GC.KeepAlive(output);
        return seconds;
    }

    /// <summary>bench/pytorch_zoo_reference.py in --serve mode: one JSON command per line in, one answer per line out.</summary>
    private sealed class PythonPeer : IDisposable
    {
        private readonly Process _process;

        private PythonPeer(Process process) => _process = process;

        public static PythonPeer Start(string python, int threads)
        {
            string script = Path.Combine(Repository.Root(), "bench", "pytorch_zoo_reference.py");
            var start = new ProcessStartInfo(python)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                ArgumentList = { script, "--serve", "--threads", threads.ToString(CultureInfo.InvariantCulture) },
            };
            return new PythonPeer(Process.Start(start) ?? throw new InvalidOperationException($"cannot start {python}"));
        }

        public JsonElement Ask(object command)
        {
            _process.StandardInput.WriteLine(JsonSerializer.Serialize(command));
            _process.StandardInput.Flush();
            string line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("bench/pytorch_zoo_reference.py ended early (its error is above)");
            JsonElement answer = JsonDocument.Parse(line).RootElement.Clone();
            return answer.TryGetProperty("error", out JsonElement error)
                ? throw new InvalidOperationException($"bench/pytorch_zoo_reference.py: {error.GetString()}")
                : answer;
        }

        public void Dispose()
        {
            try
            {
                Ask(new { cmd = "quit" });
                _process.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
                // Already gone: its error has been reported.
            }

            _process.Dispose();
        }
    }
}
