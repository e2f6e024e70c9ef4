using System.Diagnostics;
using System.Globalization;
using NeuralStyle.Cli;
using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Quality;
using NeuralStyle.Runtime;
using NeuralStyle.Transfer;

/// <summary>
/// Issue 12's picture-quality benchmark: for each content/style pair, the README's main command (the library's
/// <see cref="StyleJob"/>: content as the initial image, 256 px, 200 iterations, the default backbone) with the default
/// settings and with each variant, a contact sheet per pair and a Markdown table of the network-free measures of
/// <see cref="PictureQuality"/> and the time to result.
/// </summary>
/// <remarks>
/// usage: dotnet run -c Release --project bench/NeuralStyle.Bench -- quality [--width 256] [--iterations 200]
///        [--seed 1] [--threads 2] [--sheets docs/quality] [--sheet-scale 2] [--results DIR] [--pairs content:style ...]
///        [--variant NAME "FLAGS" ...]
///        dotnet run -c Release --project bench/NeuralStyle.Bench -- measure [the same options]
/// Each result is kept as RESULTS/PAIR-VARIANT.png (default: neuralstyle-quality in the temporary directory; --work
/// is the old name of --results). `measure` runs no transfer: it reads the kept results of an earlier run with the
/// same pairs, variants and width and recomputes the sheets and the table (seconds "-"), so a change to a measure can
/// be judged without the transfer's minutes. Each sheet tile is enlarged --sheet-scale times with nearest neighbour.
/// Paths in --pairs are relative to examples/. A variant's FLAGS are more flags of the main command, split on spaces
/// (e.g. --variant tv50 "--tv-weight 50"); they are parsed by the command line itself, so they mean what they mean
/// there. Every run has the same seed. The measures read the written PNG (what a user gets: 8-bit, clipped); the
/// style is measured at the size the transfer used it (scaled to the content's width, as --style-scales 1 does).
/// The table's columns: pair, variant, colour noise, structure, texture, colour, seconds, grid. Grid
/// (<see cref="StrideGrid"/>, about 1 = no stride-8/16 dot grid) comes last, after seconds, so that the columns of the
/// tables already recorded keep their places.
/// </remarks>
internal static class QualityBenchmark
{
    /// <summary>The repository's example pairs, then pairs of the scikit-image images added for this benchmark.</summary>
    private static readonly (string Content, string Style)[] DefaultPairs =
    [
        ("chelsea.png", "brick.png"),
        ("chelsea.png", "hubble_deep_field.jpg"),
        ("astronaut.png", "hubble_deep_field.jpg"),
        ("astronaut.png", "grass.png"),
        ("coffee.jpg", "gravel.png"),
        ("coffee.jpg", "retina.jpg"),
        ("rocket.jpg", "hubble_deep_field.jpg"),
        ("camera.png", "retina.jpg"),
        ("coins.png", "grass.png"),
        ("horse.png", "gravel.png"),
    ];

    public static int Run(string[] args)
    {
        bool transfer = args[0] != "measure";
        int width = 256, iterations = 200, seed = 1, threads = 2, sheetScale = 2;
        string root = Repository.Root();
        string sheets = Path.Combine(root, "docs", "quality");
        string work = Path.Combine(Path.GetTempPath(), "neuralstyle-quality");
        var pairs = new List<(string Content, string Style)>();
        var variants = new List<(string Name, string[] Flags)> { ("default", []) };
        for (int a = 1; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--width": width = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--iterations": iterations = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--sheets": sheets = args[++a]; break;
                case "--work" or "--results": work = args[++a]; break;
                case "--sheet-scale": sheetScale = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--pairs":
                    while (a + 1 < args.Length && !args[a + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        string[] parts = args[++a].Split(':');
                        if (parts.Length != 2)
                        {
                            Console.Error.WriteLine($"--pairs: {args[a]} is not content:style");
                            return 2;
                        }

                        pairs.Add((parts[0], parts[1]));
                    }

                    break;
                case "--variant":
                    if (a + 2 >= args.Length)
                    {
                        Console.Error.WriteLine("--variant needs a name and a quoted list of flags");
                        return 2;
                    }

                    variants.Add((args[a + 1], args[a + 2].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
                    a += 2;
                    break;
                default: Console.Error.WriteLine($"unknown argument {args[a]}"); return 2;
            }
        }

        if (pairs.Count == 0)
        {
            pairs.AddRange(DefaultPairs);
        }

        if (transfer)
        {
            TorchRuntime.EnsureInitialized(new RuntimeOptions(threads));
        }

        Directory.CreateDirectory(sheets);
        Directory.CreateDirectory(work);
        string examples = Path.Combine(root, "examples");
        var rows = new List<string>();
        foreach ((string contentName, string styleName) in pairs)
        {
            string contentPath = Path.Combine(examples, contentName);
            string stylePath = Path.Combine(examples, styleName);
            RgbImage content = ImageSizing.Content(ImageReader.Read(contentPath), width);
            RgbImage style = ImageSizing.Style(ImageReader.Read(stylePath), content, 1.0);
            string pair = $"{Path.GetFileNameWithoutExtension(contentName)}-{Path.GetFileNameWithoutExtension(styleName)}";
            var panels = new List<RgbImage> { content, style };
            foreach ((string variant, string[] flags) in variants)
            {
                string output = Path.Combine(work, $"{pair}-{variant}.png");
                if (!transfer && !File.Exists(output))
                {
                    Console.Error.WriteLine($"neural-style-bench: error: measure: no kept result {output} (run `quality` with the same --results, pairs, variants and width first)");
                    return 1;
                }

                string[] command =
                [
                    "--content", contentPath, "--styles", stylePath, "--initial", contentPath,
                    "--width", width.ToString(CultureInfo.InvariantCulture),
                    "--iterations", iterations.ToString(CultureInfo.InvariantCulture),
                    "--seed", seed.ToString(CultureInfo.InvariantCulture),
                    "--output", output, "--overwrite", .. flags,
                ];
                double? seconds = null;
                if (transfer)
                {
                    StyleJobSpec spec = Bind(command);
                    var clock = Stopwatch.StartNew();
                    StyleJob.Run(spec, new JobContext(command));
                    seconds = clock.Elapsed.TotalSeconds;
                }

                RgbImage result = ImageReader.Read(output);
                PictureQuality q = PictureQuality.Measure(result, content, style);
                panels.Add(result);
                string row = string.Create(CultureInfo.InvariantCulture,
                    $"| {contentName} + {styleName} | {variant} | {q.ColorNoise:0.00} | {q.Structure:0.00} | {q.Texture:0.00} | {q.Color:0.00} | {(seconds is double t ? t.ToString("0.0", CultureInfo.InvariantCulture) : "-")} | {q.Grid:0.00} |");
                rows.Add(row);
                Console.Error.WriteLine(row);
            }

            ImageWriter.Write(ContactSheet.Compose(panels, sheetScale), Path.Combine(sheets, $"{pair}.png"), overwrite: true);
        }

        Console.WriteLine(transfer
            ? $"{width} px, {iterations} iterations, seed {seed}, {threads} threads; sheets in {sheets} (content | style | {string.Join(" | ", variants.Select(v => v.Name))}, tiles x{sheetScale})"
            : $"{width} px, measured from the results kept in {work}; sheets in {sheets} (content | style | {string.Join(" | ", variants.Select(v => v.Name))}, tiles x{sheetScale})");
        Console.WriteLine();
        Console.WriteLine("| pair | variant | colour noise | structure | texture | colour | seconds | grid |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    // The main command's own parser and binder, so that a variant's flags mean exactly what they mean there.
    private static StyleJobSpec Bind(string[] command)
    {
        var commands = new AppCommands();
        var parsed = commands.Root.Parse(command);
        if (parsed.Errors.Count > 0)
        {
            throw new ArgumentException($"{string.Join(' ', command)}: {parsed.Errors[0].Message}");
        }

        return commands.Style.Bind(parsed);
    }
}
