namespace NeuralStyle.Tests.Fuzz;

/// <summary>
/// The process's peak resident memory, reset before each fuzz input, so that a native allocation (LibTorch, Skia) that
/// a reader makes and frees again is still seen. Linux only (/proc/self); elsewhere the check is skipped.
/// </summary>
internal static class ProcessMemory
{
    private const string Status = "/proc/self/status";
    private const string ClearRefs = "/proc/self/clear_refs";

    /// <summary>Whether the peak can be reset here (it needs Linux 4.0 and a writable clear_refs).</summary>
    public static bool Available { get; } = Probe();

    /// <summary>Sets the peak (VmHWM) back to the current resident size.</summary>
    public static void ResetPeak()
    {
        if (Available)
        {
            // "5" resets the peak resident set size; it changes nothing else about the process.
            File.WriteAllText(ClearRefs, "5");
        }
    }

    /// <summary>The resident memory now and its peak since the last reset, in bytes (zeros when unavailable).</summary>
    public static (long Current, long Peak) Read()
    {
        if (!Available)
        {
            return (0, 0);
        }

        long current = 0, peak = 0;
        foreach (string line in File.ReadLines(Status))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return (current, peak);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;

    private static bool Probe()
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !File.Exists(Status))
            {
                return false;
            }

            File.WriteAllText(ClearRefs, "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
