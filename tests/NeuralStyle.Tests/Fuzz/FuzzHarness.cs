using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Fuzz;

/// <summary>
/// The seeded mutation loop shared by every reader's fuzz test. Case i of a run is made from a seed of its own
/// (<see cref="FuzzRandom.CaseSeed"/>), so any failure is reproduced by that one number; the failure message also
/// spells out the seed file and every mutation. Each input runs with a time limit (longer is a hang), a bound on
/// managed allocation and one on the growth of resident memory, and must end in a result or one of the reader's
/// documented errors naming the input in one line.
/// </summary>
/// <remarks>
/// NEURALSTYLE_FUZZ_SCALE multiplies the number of cases (for a longer search by hand), NEURALSTYLE_FUZZ_RUN_SEED
/// (hexadecimal) replaces the fixed run seed, NEURALSTYLE_FUZZ_SAVE names a folder that receives every failing input
/// (to be committed under Fixtures/fuzz/TARGET as a regression input once fixed), and NEURALSTYLE_FUZZ_LOG names a
/// file to which each case is appended before it runs (after a native crash, its last line is the culprit).
/// </remarks>
internal static class FuzzHarness
{
    private const int MaxReportedFailures = 20;

    /// <summary>Runs <paramref name="cases"/> mutants of the target's seeds; fails listing every bad case.</summary>
    public static FuzzReport Run(FuzzTarget target, int cases, ITestOutputHelper output)
    {
        ulong runSeed = RunSeed(target);
        cases = (int)Math.Round(cases * Scale());
        // Each seed as given must be read: otherwise the mutants only ever test the first check.
        foreach (FuzzSeed seed in target.Seeds)
        {
            Verdict verdict = Attempt(target, seed.Wrap?.Invoke(seed.Bytes) ?? seed.Bytes, $"seed-{seed.Name}");
            if (verdict.Problem is not null || verdict.Error is not null)
            {
                throw new InvalidOperationException($"{target}: seed {seed.Name} is not read: {verdict.Problem ?? verdict.Error!.Message}");
            }
        }

        string? log = Environment.GetEnvironmentVariable("NEURALSTYLE_FUZZ_LOG");
        var report = new FuzzReport(target.Name, runSeed);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < cases && failures.Count < MaxReportedFailures; i++)
        {
            ulong caseSeed = FuzzRandom.CaseSeed(runSeed, i);
            FuzzCase c = MakeCase(target, caseSeed);
            if (log is not null)
            {
                // A native crash ends the test host without a report; then the log's last line names the case.
                File.AppendAllText(log, $"{target} case {i} (seed 0x{caseSeed:X16}): {c}\n");
            }

            Verdict verdict = Attempt(target, c.Input, c.InputName);
            report.Add(verdict, c);
            if (verdict.Problem is not null)
            {
                failures.Add($"case {i} (seed 0x{caseSeed:X16}): {c}: {verdict.Problem}");
                Save(target, c);
                if (verdict.Hung)
                {
                    // The stuck reader cannot be stopped and keeps a core busy: later timings would mean nothing.
                    break;
                }
            }
        }

        report.Elapsed = clock.Elapsed;
        output.WriteLine(report.ToString());
        if (failures.Count > 0)
        {
            throw new Xunit.Sdk.XunitException(
                $"{target}: {failures.Count} of {report.Cases} inputs did not end in a result or a clear error (run seed 0x{runSeed:X16}):\n  "
                + string.Join("\n  ", failures));
        }

        return report;
    }

    /// <summary>Rebuilds one case from its seed, exactly as the run made it.</summary>
    public static FuzzCase MakeCase(FuzzTarget target, ulong caseSeed)
    {
        var random = new FuzzRandom(caseSeed);
        FuzzSeed seed = random.Pick(target.Seeds);
        (byte[] bytes, string description) = target.Mutate is null
            ? Describe(ByteMutator.Mutate(random, seed.Bytes, target.Tokens))
            : target.Mutate(random, seed.Bytes);
        byte[] input = seed.Wrap?.Invoke(bytes) ?? bytes;
        return new FuzzCase(caseSeed, seed.Name, description, input);
    }

    private static (byte[] Bytes, string Description) Describe((byte[] Bytes, List<Mutation> Mutations) mutant) =>
        (mutant.Bytes, string.Join("; ", mutant.Mutations));

    /// <summary>Runs the reader on one input on a worker thread, within the target's limits.</summary>
    public static Verdict Attempt(FuzzTarget target, byte[] input, string name)
    {
        ProcessMemory.ResetPeak();
        (long residentBefore, _) = ProcessMemory.Read();
        Task<(Exception? Error, TimeSpan Time, long Allocated)> run = Task.Run(() =>
        {
            var clock = Stopwatch.StartNew();
            long before = GC.GetAllocatedBytesForCurrentThread();
            Exception? error = null;
            try
            {
                target.Read(input, name);
            }
            catch (Exception e)
            {
                error = e;
            }

            return (error, clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before);
        });
        if (!run.Wait(target.TimeLimit))
        {
            return new Verdict(null, target.TimeLimit, 0, 0, $"no result after {target.TimeLimit.TotalSeconds:0} s (hang)", Hung: true);
        }

        (Exception? error, TimeSpan time, long allocated) = run.Result;
        (_, long peak) = ProcessMemory.Read();
        long grown = Math.Max(0, peak - residentBefore);
        string? problem = null;
        if (error is not null && !IsClear(target, error, name))
        {
            problem = $"{error.GetType().FullName}: {FirstLine(error.Message)} {WhereThrown(error)}";
        }
        else if (allocated > target.AllocationLimit)
        {
            problem = $"allocated {allocated >> 20} MB of managed memory (limit {target.AllocationLimit >> 20} MB)";
        }
        else if (grown > target.ResidentLimit)
        {
            problem = $"raised resident memory by {grown >> 20} MB (limit {target.ResidentLimit >> 20} MB)";
        }

        return new Verdict(error, time, allocated, grown, problem, Hung: false);
    }

    /// <summary>One of the documented types, naming the input, in one line (the CLI prints only the first).</summary>
    public static bool IsClear(FuzzTarget target, Exception error, string name) =>
        target.ClearErrors.Any(t => t.IsInstanceOfType(error))
        && error.Message.Contains(name, StringComparison.Ordinal)
        && !error.Message.Contains('\n', StringComparison.Ordinal);

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();

    private static string WhereThrown(Exception error)
    {
        string? frame = error.StackTrace?.Split('\n', StringSplitOptions.TrimEntries).FirstOrDefault(l => l.Contains("NeuralStyle", StringComparison.Ordinal))
            ?? error.StackTrace?.Split('\n', StringSplitOptions.TrimEntries).FirstOrDefault();
        return frame is null ? string.Empty : $"({frame})";
    }

    private static ulong RunSeed(FuzzTarget target)
    {
        string? given = Environment.GetEnvironmentVariable("NEURALSTYLE_FUZZ_RUN_SEED");
        if (!string.IsNullOrEmpty(given))
        {
            return ulong.Parse(given.Replace("0x", "", StringComparison.OrdinalIgnoreCase), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        // Fixed per target (FNV-1a of its name), so every run of the suite tries the same inputs.
        ulong hash = 0xCBF29CE484222325;
        foreach (byte b in Encoding.UTF8.GetBytes(target.Name))
        {
            hash = (hash ^ b) * 0x100000001B3;
        }

        return hash;
    }

    private static double Scale() =>
        double.TryParse(Environment.GetEnvironmentVariable("NEURALSTYLE_FUZZ_SCALE"), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 1;

    private static void Save(FuzzTarget target, FuzzCase c)
    {
        string? folder = Environment.GetEnvironmentVariable("NEURALSTYLE_FUZZ_SAVE");
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(Path.Combine(folder, target.Name));
            File.WriteAllBytes(Path.Combine(folder, target.Name, c.InputName), c.Input);
        }
    }
}

/// <summary>A mutant: the case seed that made it, its seed file, what was done, and the bytes the reader gets.</summary>
internal sealed record FuzzCase(ulong Seed, string SeedName, string Description, byte[] Input)
{
    /// <summary>The name the reader is given (and, for readers of paths, the file name): unique per case.</summary>
    public string InputName => $"fuzz-{Seed:X16}-{SeedName}";

    public override string ToString() => $"{SeedName} with [{Description}] ({Input.Length} bytes)";
}

/// <summary>How one input ended: the reader's exception (null for a result), cost, and the problem if it is a bug.</summary>
internal sealed record Verdict(Exception? Error, TimeSpan Time, long Allocated, long ResidentGrowth, string? Problem, bool Hung);

/// <summary>Counts of one run, printed to the test output.</summary>
internal sealed class FuzzReport(string target, ulong runSeed)
{
    private readonly Dictionary<string, int> errors = new(StringComparer.Ordinal);

    public int Cases { get; private set; }

    public int Results { get; private set; }

    public int Refused { get; private set; }

    public TimeSpan Elapsed { get; set; }

    public (TimeSpan Time, string Case) Slowest { get; private set; } = (TimeSpan.Zero, string.Empty);

    public long MostAllocated { get; private set; }

    public long MostResidentGrowth { get; private set; }

    public void Add(Verdict verdict, FuzzCase c)
    {
        Cases++;
        if (verdict.Problem is null)
        {
            if (verdict.Error is null)
            {
                Results++;
            }
            else
            {
                Refused++;
                string type = verdict.Error.GetType().Name;
                errors[type] = errors.GetValueOrDefault(type) + 1;
            }
        }

        if (verdict.Time > Slowest.Time)
        {
            Slowest = (verdict.Time, $"0x{c.Seed:X16} {c}");
        }

        MostAllocated = Math.Max(MostAllocated, verdict.Allocated);
        MostResidentGrowth = Math.Max(MostResidentGrowth, verdict.ResidentGrowth);
    }

    public override string ToString() =>
        $"{target}: {Cases} mutants (run seed 0x{runSeed:X16}) in {Elapsed.TotalSeconds:0.0} s: {Results} read, {Refused} refused "
        + $"({string.Join(", ", errors.OrderByDescending(e => e.Value).Select(e => $"{e.Value} {e.Key}"))}); "
        + $"slowest {Slowest.Time.TotalMilliseconds:0} ms ({Slowest.Case}); most allocated {MostAllocated >> 10} KB; "
        + $"most resident growth {(ProcessMemory.Available ? $"{MostResidentGrowth >> 20} MB" : "not measured")}";
}
