using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NeuralStyle.Zoo;

namespace NeuralStyle.Cli;

/// <summary><c>neural-style models list [--json]</c>: the zoo's models and their reference figures.</summary>
internal sealed class ModelsListCommand
{
    private readonly Option<bool> _json = new("--json") { Description = "machine-readable output" };

    public ModelsListCommand()
    {
        Command = new Command("list", "List the zoo's models: family, year, canonical input, parameters, multiply-adds, reference accuracy and implementation.");
        Command.Options.Add(_json);
    }

    public Command Command { get; }

    public int Run(ParseResult parsed, TextWriter output)
    {
        IReadOnlyList<ModelInfo> models = ModelZoo.Models;
        if (parsed.GetValue(_json))
        {
            output.WriteLine(JsonSerializer.Serialize(new { models = models.Select(Row) }, ModelsJson.Options));
            return 0;
        }

        string[] headers = ["name", "family", "year", "input", "classes", "parameters", "mult-adds", "accuracy", "reference"];
        var rows = models.Select(m => new[]
        {
            m.Name,
            m.Family,
            m.Year.ToString(CultureInfo.InvariantCulture),
            m.Input.ToString(),
            m.Classes.ToString(CultureInfo.InvariantCulture),
            m.Parameters.ToString("N0", CultureInfo.InvariantCulture),
            m.MultiplyAdds > 0 ? ModelsJson.Giga(m.MultiplyAdds) : "-",
            m.Accuracy,
            m.Reference,
        }).ToList();
        int[] widths = [.. Enumerable.Range(0, headers.Length).Select(i => rows.Select(r => r[i].Length).Append(headers[i].Length).Max())];
        bool[] right = [false, false, false, false, true, true, true, false, false];
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => right[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(headers));
        foreach (string[] row in rows)
        {
            output.WriteLine(Line(row));
        }

        output.WriteLine($"{models.Count} models; multiply-adds per image at the canonical input (torchvision's \"GFLOPS\" are multiply-adds)");
        return 0;
    }

    private static object Row(ModelInfo m) => new
    {
        name = m.Name,
        family = m.Family,
        year = m.Year,
        input = new[] { m.Input.Channels, m.Input.Height, m.Input.Width },
        classes = m.Classes,
        parameters = m.Parameters,
        multiplyAdds = m.MultiplyAdds * 1e9,
        accuracy = m.Accuracy,
        reference = m.Reference,
    };
}
