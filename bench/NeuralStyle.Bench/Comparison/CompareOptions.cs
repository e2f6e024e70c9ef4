using System.Globalization;

namespace NeuralStyle.Bench.Comparison;

/// <summary>The <c>compare</c> subcommand's options.</summary>
internal sealed record CompareOptions
{
    public List<int> Sizes { get; init; } = [256, 512, 1024];

    public List<string> Networks { get; init; } = [.. ComparedNetwork.Keys];

    public int Rounds { get; init; } = 3;

    public int Timed { get; init; } = 5;

    public int Warmup { get; init; } = 2;

    public int Threads { get; init; } = 2;

    public string Python { get; init; } = "/usr/bin/python3";

    /// <summary>Iterations of each loss-against-time curve; 0 leaves the curves out.</summary>
    public int CurveIterations { get; init; } = 100;

    /// <summary>Width of the curves' images (examples/chelsea.png and examples/brick.png).</summary>
    public int CurveWidth { get; init; } = 256;

    /// <summary>Print the section only: write neither BENCHMARKS.md nor the JSON and plots.</summary>
    public bool NoWrite { get; init; }

    /// <summary>Re-make the section and plots from this JSON file instead of measuring.</summary>
    public string? Replot { get; init; }

    /// <summary>Where the JSON and plots go, relative to the repository.</summary>
    public string OutputDirectory { get; init; } = "docs/bench";

    public const string Usage = "compare [--sizes 256 512 1024] [--networks vgg19 resnet18] [--rounds 3] [--timed 5] [--warmup 2] [--threads 2] "
        + "[--python /usr/bin/python3] [--curve-iterations 100] [--curve-width 256] [--output-dir docs/bench] [--no-write] [--replot FILE.json]";

    /// <summary>Parses args[1..]; null with a one-line message on stderr when something is wrong.</summary>
    public static CompareOptions? Parse(string[] args)
    {
        var o = new CompareOptions();
        try
        {
            for (int a = 1; a < args.Length; a++)
            {
                string name = args[a];
                string Next() => a + 1 < args.Length ? args[++a] : throw new FormatException($"{name} needs a value");
                int Int(int min) => int.Parse(Next(), CultureInfo.InvariantCulture) is int v && v >= min ? v : throw new FormatException($"{name} must be at least {min}");
                List<string> Many()
                {
                    var values = new List<string>();
                    while (a + 1 < args.Length && !args[a + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        values.Add(args[++a]);
                    }

                    return values.Count > 0 ? values : throw new FormatException($"{name} needs at least one value");
                }

                o = name switch
                {
                    "--sizes" => o with { Sizes = [.. Many().Select(s => int.Parse(s, CultureInfo.InvariantCulture) is int v && v >= 32 ? v : throw new FormatException("--sizes must be at least 32"))] },
                    "--networks" => o with { Networks = [.. Many().Select(n => ComparedNetwork.Keys.Contains(n) ? n : throw new FormatException($"--networks: unknown network '{n}' (known: {string.Join(", ", ComparedNetwork.Keys)})"))] },
                    "--rounds" => o with { Rounds = Int(1) },
                    "--timed" => o with { Timed = Int(1) },
                    "--warmup" => o with { Warmup = Int(0) },
                    "--threads" => o with { Threads = Int(1) },
                    "--python" => o with { Python = Next() },
                    "--curve-iterations" => o with { CurveIterations = Int(0) },
                    "--curve-width" => o with { CurveWidth = Int(32) },
                    "--output-dir" => o with { OutputDirectory = Next() },
                    "--no-write" => o with { NoWrite = true },
                    "--replot" => o with { Replot = Next() },
                    _ => throw new FormatException($"unknown argument {name}"),
                };
            }
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"compare: {e.Message}; usage: {Usage}");
            return null;
        }

        return o;
    }
}
