using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

/// <summary>
/// Wall time each configuration of the `neural-style` command needs to reach the loss that the seed's recipe (Adam,
/// learning rate 10, 1000 iterations, single scale) ends with, at each size.
/// </summary>
/// <remarks>
/// Every configuration runs as its own process (the built CLI) on the same content, style and starting image, with
/// --print-iterations 1, so that OUTPUT.json records the loss of every iteration with its time since the run started
/// (network loading and any coarser scales included). Only the final scale's losses count: a coarser scale's loss is
/// of another objective. The figure is the time of the first iteration whose printed loss is at or below the recipe's
/// final one; "not reached" means not within the configuration's iterations.
/// </remarks>
internal static class TimeToLoss
{
    private sealed record Configuration(string Name, string[] Arguments);

    private sealed record Outcome(string Name, int? Iteration, double? Seconds, double? SecondsToBest, double WallSeconds, double FinalLoss, double BestLoss, double BestSeconds, string Arguments);

    public static int Run(string[] args)
    {
        var sizes = new List<int>();
        string content = "examples/astronaut.png", style = "examples/brick.png", output = Path.Combine(Path.GetTempPath(), "time-to-loss");
        string? only = null, reuse = null;
        int threads = 2, recipeIterations = 1000, iterations = 300, coarseIterations = 100;
        for (int a = 1; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--sizes":
                    while (a + 1 < args.Length && !args[a + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        sizes.Add(int.Parse(args[++a], CultureInfo.InvariantCulture));
                    }

                    break;
                case "--content": content = args[++a]; break;
                case "--style": style = args[++a]; break;
                case "--threads": threads = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--recipe-iterations": recipeIterations = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--coarse-iterations": coarseIterations = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--iterations": iterations = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--output": output = args[++a]; break;
                case "--only": only = args[++a]; break;
                case "--reuse": reuse = args[++a]; break;
                default: Console.Error.WriteLine($"unknown argument {args[a]}"); return 2;
            }
        }

        if (sizes.Count == 0)
        {
            sizes = [256, 512];
        }

        string root = Repository.Root();
        string cli = Path.Combine(root, "src", "NeuralStyle.Cli", "bin", "Release", "net10.0", "neural-style.dll");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"{cli} does not exist: run `dotnet build -c Release src/NeuralStyle.Cli` first");
            return 2;
        }

        Directory.CreateDirectory(output);
        var report = new StringBuilder();
        foreach (int size in sizes)
        {
            string[] common =
            [
                "--content", Path.Combine(root, content), "--styles", Path.Combine(root, style), "--initial", Path.Combine(root, content),
                "--width", size.ToString(CultureInfo.InvariantCulture), "--print-iterations", "1", "--overwrite",
                "--threads", threads.ToString(CultureInfo.InvariantCulture), "--seed", "1",
            ];
            string coarse = coarseIterations.ToString(CultureInfo.InvariantCulture), quarter = (size / 4).ToString(CultureInfo.InvariantCulture);
            string n = iterations.ToString(CultureInfo.InvariantCulture);
            Configuration recipe = new("seed recipe: Adam, learning rate 10", ["--recipe", "seed", "--learning-rate", "10", "--iterations", recipeIterations.ToString(CultureInfo.InvariantCulture)]);
            Configuration[] candidates =
            [
                new("Adam (the backbone's learning rate)", ["--optimizer", "adam", "--scales", "1", "--iterations", n]),
                new("L-BFGS", ["--optimizer", "lbfgs", "--scales", "1", "--iterations", n]),
                new("Adam, 3 scales", ["--optimizer", "adam", "--scales", "3", "--min-size", quarter, "--coarse-iterations", coarse, "--iterations", n]),
                new("L-BFGS, 3 scales", ["--optimizer", "lbfgs", "--scales", "3", "--min-size", quarter, "--coarse-iterations", coarse, "--iterations", n]),
            ];

            // With --only, the configurations (and the recipe) it does not name are read from an earlier run's manifests.
            bool Rerun(string name) => reuse is null || (only is not null && name.Contains(only, StringComparison.Ordinal));
            string Place(string file, string name) => Path.Combine(Rerun(name) ? output : reuse!, file);
            Outcome target = RunOne(cli, common, recipe, Place($"{size}-recipe.png", recipe.Name), double.NegativeInfinity, double.NegativeInfinity, Rerun(recipe.Name));
            double goal = target.FinalLoss, best = target.BestLoss;
            var outcomes = new List<Outcome> { target with { Iteration = recipeIterations, Seconds = target.WallSeconds, SecondsToBest = target.BestSeconds } };
            for (int c = 0; c < candidates.Length; c++)
            {
                outcomes.Add(RunOne(cli, common, candidates[c], Place($"{size}-{c}.png", candidates[c].Name), goal, best, Rerun(candidates[c].Name)));
            }

            report.AppendLine(CultureInfo.InvariantCulture, $"{size}x{size} ({content} + {style}, from the content image, {threads} threads): the recipe's loss after {recipeIterations} iterations is {goal:0.0} (reached in {target.WallSeconds:0.0} s); the lowest it printed is {best:0.0} (after {target.BestSeconds:0.0} s)");
            report.AppendLine();
            report.AppendLine("| configuration | iterations to the recipe's final loss (final scale) | seconds | sooner | seconds to the recipe's lowest loss | sooner | whole run, s | final loss | arguments |");
            report.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (Outcome o in outcomes)
            {
                string reached = o.Seconds is double s ? s.ToString("0.0", CultureInfo.InvariantCulture) : "not reached";
                string ratio = o.Seconds is double t ? (target.WallSeconds / t).ToString("0.0", CultureInfo.InvariantCulture) + "x" : "-";
                string reachedBest = o.SecondsToBest is double sb ? sb.ToString("0.0", CultureInfo.InvariantCulture) : "not reached";
                string ratioBest = o.SecondsToBest is double tb ? (target.BestSeconds / tb).ToString("0.0", CultureInfo.InvariantCulture) + "x" : "-";
                string its = o.Iteration?.ToString(CultureInfo.InvariantCulture) ?? "-";
                report.AppendLine(CultureInfo.InvariantCulture, $"| {o.Name} | {its} | {reached} | {ratio} | {reachedBest} | {ratioBest} | {o.WallSeconds:0.0} | {o.FinalLoss:0.0} | `{o.Arguments}` |");
            }

            report.AppendLine();
            Console.Write(report.ToString());
            report.Clear();
        }

        return 0;
    }

    private static Outcome RunOne(string cli, string[] common, Configuration configuration, string outputPath, double goal, double best, bool run)
    {
        if (!run)
        {
            Console.Error.WriteLine($"reusing {Path.ChangeExtension(outputPath, ".json")} for {configuration.Name}");
            return Read(configuration, outputPath, goal, best);
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (string a in common.Concat(configuration.Arguments).Concat(["--output", outputPath]))
        {
            start.ArgumentList.Add(a);
        }

        Console.Error.WriteLine($"running {configuration.Name}: {string.Join(' ', configuration.Arguments)}");
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{configuration.Name} failed ({process.ExitCode}): {stderr}{stdout.Result}");
        }

        return Read(configuration, outputPath, goal, best);
    }

    private static Outcome Read(Configuration configuration, string outputPath, double goal, double best)
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(outputPath, ".json")));
        JsonElement[] losses = [.. manifest.RootElement.GetProperty("losses").EnumerateArray()];

        // The final scale's records are those after the last restart of the iteration count.
        int first = Array.FindLastIndex(losses, l => l.GetProperty("iteration").GetInt32() == 1);
        JsonElement[] final = losses[first..];
        JsonElement? hit = final.Cast<JsonElement?>().FirstOrDefault(l => l!.Value.GetProperty("total").GetDouble() <= goal);
        JsonElement? hitBest = final.Cast<JsonElement?>().FirstOrDefault(l => l!.Value.GetProperty("total").GetDouble() <= best);
        JsonElement lowest = final.MinBy(l => l.GetProperty("total").GetDouble());
        return new Outcome(
            configuration.Name,
            hit?.GetProperty("iteration").GetInt32(),
            hit?.GetProperty("elapsedSeconds").GetDouble(),
            hitBest?.GetProperty("elapsedSeconds").GetDouble(),
            manifest.RootElement.GetProperty("wallSeconds").GetDouble(),
            final[^1].GetProperty("total").GetDouble(),
            lowest.GetProperty("total").GetDouble(),
            lowest.GetProperty("elapsedSeconds").GetDouble(),
            string.Join(' ', configuration.Arguments));
    }
}
