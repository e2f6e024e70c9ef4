using System.Globalization;
using System.Text;

namespace NeuralStyle.Bench.Comparison;

/// <summary>The BENCHMARKS.md section of a comparison, and its place between the markers.</summary>
internal static class ComparisonMarkdown
{
    public const string Heading = "## Side by side: the style loop against PyTorch (issue 14, items 3-5)";

    // Issue 14, item 4, at 512x512 with VGG-19's shapes: ours over PyTorch fp32, per iteration, same run.
    private const int TargetSize = 512;
    private const double Bf16Target = 0.4;
    private const double Fp32Target = 0.9;

    /// <summary>The section's text (what goes between the markers).</summary>
    public static string Section(ComparisonResult r, string plotDirectory)
    {
        var s = new StringBuilder();
        MachineDescription m = r.Machine;
        PytorchDescription p = r.Pytorch;
        CompareSettings c = r.Settings;
        s.AppendLine("Made by the benchmark itself (tables, plots and `compare.json` with every sample; `--replot` re-makes them from the JSON):");
        s.AppendLine();
        s.AppendLine("```sh");
        s.AppendLine("dotnet build bench/NeuralStyle.Bench -c Release");
        s.AppendLine(r.Command);
        s.AppendLine("```");
        s.AppendLine();
        string isa = m.IsaFlags.Count == 0 ? "none of avx512f, avx512_vnni, avx512_bf16, amx" : string.Join(", ", m.IsaFlags);
        string amx = m.IsaFlags.Any(f => f.StartsWith("amx", StringComparison.Ordinal)) ? "" : "; no AMX flags";
        s.AppendLine(Invariant($"{r.Date}, {m.CpuModel} ({m.CpuSignature}; {isa}{amx}), {m.LogicalProcessors} logical processors, {m.Threads} threads for both implementations; load average {m.LoadBefore} at the start, {m.LoadAfter} at the end."));
        s.AppendLine(Invariant($"TorchSharp {m.TorchSharp} (LibTorch {m.LibTorch}, oneDNN {m.OneDnn ?? "?"}) against PyTorch {p.Torch} (Debian's python3-torch, Python {p.Python}, bench/pytorch_style_loop.py)."));
        s.AppendLine();
        string blasVerdict = p.OpenBlas
            ? "**OpenBLAS** (the fair reference; see \"The reference's BLAS\")"
            : p.ReferenceBlas
                ? "**WARNING: the unoptimised reference BLAS: PyTorch's Gram matrices are several times slower and these ratios flatter us; install libopenblas0-pthread**"
                : "**WARNING: not OpenBLAS**";
        s.AppendLine($"PyTorch's BLAS: {blasVerdict}. It is built with `{p.BlasBuild}`; `libblas.so.3-x86_64-linux-gnu` points to `{p.BlasAlternative ?? "nothing"}`; mapped in the worker after a matrix product: {string.Join(", ", p.BlasLoaded.Select(l => $"`{l}`"))}.");
        s.AppendLine();
        s.AppendLine($"bf16: ours: {m.Bf16}. PyTorch: bf16 autocast {p.Bf16Autocast}; its rows run the network's forward (and so its backward) under autocast, with the features cast back to float32 for the losses, as ours does (autocast casts the float32 weights to bf16 at every call: they need no gradient, so its cast cache does not keep them; ours keeps bf16 copies).");
        if (Busy(m) is string busy)
        {
            s.AppendLine();
            s.AppendLine(busy);
        }

        s.AppendLine();
        s.AppendLine(Invariant($"Seconds per iteration (forward, losses, backward to the image, Adam step), medians of every timed iteration ({c.Rounds} round(s) x {c.Timed} timed iterations, each run after {c.Warmup} warm-up iteration(s)); in each round the four run in turn: ours fp32, PyTorch fp32, ours bf16, PyTorch bf16. Ratios are ours over PyTorch fp32 from the same run (below 1: ours is faster). Every run starts from the content image (seeded random images for the timings)."));
        foreach (NetworkResult n in r.Networks)
        {
            s.AppendLine();
            s.AppendLine($"### {Capitalised(n.Title)}");
            s.AppendLine();
            s.AppendLine($"The loop: {n.Loop}.");
            s.AppendLine();
            s.AppendLine("| size | ours fp32 | ours bf16 | PyTorch fp32 | PyTorch bf16 | ours fp32 / PyTorch fp32 | ours bf16 / PyTorch fp32 |");
            s.AppendLine("|---|---|---|---|---|---|---|");
            foreach (SizeResult size in n.Sizes)
            {
                double? reference = Median(size, Configurations.PytorchFp32);
                s.AppendLine(Invariant($"| {size.Size}x{size.Size} | {Cell(size, Configurations.OursFp32)} | {Cell(size, Configurations.OursBf16)} | {Cell(size, Configurations.PytorchFp32)} | {Cell(size, Configurations.PytorchBf16)} | {Ratio(Median(size, Configurations.OursFp32), reference)} | {Ratio(Median(size, Configurations.OursBf16), reference)} |"));
            }

            if (n.Key == "vgg19")
            {
                s.AppendLine();
                s.AppendLine(Targets(n, Busy(m) is not null));
            }

            if (n.Checks.Count > 0)
            {
                s.AppendLine();
                s.AppendLine("Same work? The loss of the starting image, ours fp32 against PyTorch fp32: "
                    + string.Join("; ", n.Checks.Select(k => Invariant($"{k.Where}: {k.Ours:0.000000e+0} against {k.Pytorch:0.000000e+0} (relative difference {k.Relative:0.0e+0}{(k.Relative > 1e-3 ? ", MORE THAN 1e-3" : "")})"))) + ".");
            }

            s.AppendLine();
            s.AppendLine($"![seconds per iteration against pixels, {n.Title}]({plotDirectory}/{ComparisonPlots.SpeedFile(n)})");
            if (n.Curves.Count > 0)
            {
                LossCurve? longest = n.Curves.Where(k => k.Refusal is null).MaxBy(k => k.Losses.Count);
                s.AppendLine();
                s.AppendLine(Invariant($"Loss against wall time, {longest?.Losses.Count ?? 0} iterations from the content image (examples/chelsea.png styled with examples/brick.png at width {c.CurveWidth}), the four configurations in turn; the time excludes the targets' computation before the first iteration:"));
                s.AppendLine();
                s.AppendLine("| configuration | first loss | last loss | seconds |");
                s.AppendLine("|---|---|---|---|");
                foreach (LossCurve k in n.Curves)
                {
                    s.AppendLine(k.Refusal is null
                        ? Invariant($"| {k.Name} | {k.Losses[0]:0.000e+0} | {k.Losses[^1]:0.000e+0} | {k.Seconds[^1]:0.0} |")
                        : $"| {k.Name} | n/a ({Escape(k.Refusal)}) | | |");
                }

                s.AppendLine();
                s.AppendLine($"![loss against wall time, {n.Title}]({plotDirectory}/{ComparisonPlots.LossFile(n)})");
            }
        }

        return s.ToString().TrimEnd();
    }

    /// <summary>Puts <paramref name="section"/> between the markers of <paramref name="path"/>, adding the heading and markers at the end when missing.</summary>
    public static void WriteInto(string path, string section)
    {
        string text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        int begin = text.IndexOf(CompareCommand.BenchmarksBegin, StringComparison.Ordinal);
        int end = text.IndexOf(CompareCommand.BenchmarksEnd, StringComparison.Ordinal);
        string block = $"{CompareCommand.BenchmarksBegin}\n{section}\n{CompareCommand.BenchmarksEnd}";
        text = begin >= 0 && end > begin
            ? string.Concat(text.AsSpan(0, begin), block, text.AsSpan(end + CompareCommand.BenchmarksEnd.Length))
            : $"{text.TrimEnd()}\n\n{Heading}\n\n{block}\n";
        File.WriteAllText(path, text);
    }

    // A warning when the machine had more runnable work than processors: the absolute figures are then inflated and
    // the ratios noisier than usual (each implementation slows by its own amount under contention).
    private static string? Busy(MachineDescription m)
    {
        static double Load(string loadAverage) => double.TryParse(loadAverage.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : 0;
        double load = Math.Max(Load(m.LoadBefore), Load(m.LoadAfter));
        return load > m.LogicalProcessors
            ? Invariant($"**The machine was busy** (1-minute load average up to {load:0.#} on {m.LogicalProcessors} logical processors): the absolute times are inflated several times and the ratios are noisier than on a quiet machine; re-run the command on a quiet one for the figures that count.")
            : null;
    }

    private static string Targets(NetworkResult n, bool busy)
    {
        SizeResult? at = n.Sizes.FirstOrDefault(z => z.Size == TargetSize);
        if (at is null)
        {
            return Invariant($"Issue 14's targets at {TargetSize}x{TargetSize} (ours bf16 at most {Bf16Target}x PyTorch fp32, ours fp32 at most {Fp32Target}x): not measured in this run.");
        }

        double? reference = Median(at, Configurations.PytorchFp32);
        string caveat = busy ? " Measured on a busy machine, so this is no verdict: under contention PyTorch (OpenMP and OpenBLAS threads) slows more than ours; re-run on a quiet machine." : "";
        return Invariant($"Issue 14's targets at {TargetSize}x{TargetSize}, this run: ours bf16 at most {Bf16Target}x PyTorch fp32: {Verdict(Median(at, Configurations.OursBf16), reference, Bf16Target)}; ours fp32 at most {Fp32Target}x: {Verdict(Median(at, Configurations.OursFp32), reference, Fp32Target)}.{caveat}");
    }

    private static string Verdict(double? ours, double? reference, double target) =>
        ours is double o && reference is double t
            ? Invariant($"{o / t:0.00}x, **{(o / t <= target ? "met" : "not met")}**")
            : "not measured (no figure), **not met**";

    private static double? Median(SizeResult size, string configuration)
    {
        ConfigurationSamples samples = size.Configurations.Single(c => c.Name == configuration);
        return samples.Refusal is null && samples.Seconds.Count > 0 ? BenchData.Median(samples.Seconds) : null;
    }

    private static string Cell(SizeResult size, string configuration)
    {
        ConfigurationSamples samples = size.Configurations.Single(c => c.Name == configuration);
        return samples.Refusal is not null ? $"n/a ({Escape(samples.Refusal)})"
            : samples.Seconds.Count == 0 ? "n/a"
            : Invariant($"{BenchData.Median(samples.Seconds):0.000}");
    }

    private static string Ratio(double? ours, double? reference) =>
        ours is double o && reference is double t ? Invariant($"{o / t:0.00}") : "n/a";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
