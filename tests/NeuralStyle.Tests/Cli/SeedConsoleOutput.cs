using System.Globalization;
using System.Text.RegularExpressions;

namespace NeuralStyle.Tests.Cli;

/// <summary>Parses the seed's console lines the way a script would.</summary>
public sealed partial record SeedConsoleOutput(IReadOnlyList<int> Iterations, IReadOnlyList<PrintedLosses> Printed)
{
    public static SeedConsoleOutput Parse(IEnumerable<string> lines, out int total)
    {
        var iterations = new List<int>();
        var printed = new List<PrintedLosses>();
        total = -1;
        var pending = new Dictionary<string, double>();
        int line0 = 0;
        foreach (string line in lines)
        {
            // Our additions to the seed's console come first: which network, and the memory estimate.
            if (line0++ < 2 && (line.StartsWith("Network: ", StringComparison.Ordinal) || line.StartsWith("Memory: ", StringComparison.Ordinal)))
            {
                continue;
            }

            Match it = IterationLine().Match(line);
            if (it.Success)
            {
                iterations.Add(int.Parse(it.Groups[1].Value, CultureInfo.InvariantCulture));
                total = int.Parse(it.Groups[2].Value, CultureInfo.InvariantCulture);
                continue;
            }

            Match loss = LossLine().Match(line);
            if (!loss.Success)
            {
                throw new FormatException($"unexpected console line: '{line}'");
            }

            pending[loss.Groups[1].Value] = double.Parse(loss.Groups[2].Value, CultureInfo.InvariantCulture);
            if (loss.Groups[1].Value == "total")
            {
                printed.Add(new PrintedLosses(iterations[^1], pending["content"], pending["style"], pending["tv"], pending["total"]));
                pending.Clear();
            }
        }

        return new SeedConsoleOutput(iterations, printed);
    }

    [GeneratedRegex(@"^Iteration (\d+)/(\d+)$")]
    private static partial Regex IterationLine();

    [GeneratedRegex(@"^  (content|style|tv|total) loss: (-?[0-9.]+(?:e[+-][0-9]+)?|inf|nan)$")]
    private static partial Regex LossLine();
}

public sealed record PrintedLosses(int Iteration, double Content, double Style, double Tv, double Total);
