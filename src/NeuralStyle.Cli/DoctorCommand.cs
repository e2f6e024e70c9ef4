using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuralStyle.Kernels;
using NeuralStyle.Runtime;

namespace NeuralStyle.Cli;

/// <summary>
/// <c>neural-style doctor [--threads N] [--json]</c>: versions, CPU, threads, native logging, the kernel guard's
/// decision and why, then a self-check of every kernel the networks use against float64. Exit 1 when any disagrees.
/// </summary>
internal sealed class DoctorCommand
{
    private readonly Option<int?> _threads = new("--threads") { Description = "CPU threads of the tensor library (default: all cores)", HelpName = "N" };
    private readonly Option<bool> _json = new("--json") { Description = "machine-readable output" };

    public DoctorCommand()
    {
        Command = new Command("doctor", "Check this machine: versions, CPU, the kernel guard's choice, and LibTorch's kernels against float64. Run it first when results look wrong.");
        Command.Options.Add(_threads);
        Command.Options.Add(_json);
    }

    public Command Command { get; }

    /// <summary>Test seam: replaces self-check results, to show what doctor says about a wrong kernel on a CPU that has none.</summary>
    internal static KernelFault? SelfCheckFault { get; set; }

    public int Run(ParseResult parsed, TextWriter output, TextWriter error)
    {
        if (parsed.GetValue(_threads) is int t && t < 1)
        {
            throw new UsageException($"--threads must be positive (got {t})");
        }

        RuntimeReport report = TorchRuntime.Initialize(new RuntimeOptions(parsed.GetValue(_threads)));
        var clock = Stopwatch.StartNew();
        IReadOnlyList<KernelCheckResult> checks = KernelCheck.Run(KernelSamples.DoctorSample(), new KernelCheckOptions(Repeats: 2, PoisonMemory: true, Fault: SelfCheckFault));
        double seconds = clock.Elapsed.TotalSeconds;
        KernelCheckResult[] failed = [.. checks.Where(c => !c.Passed)];
        if (parsed.GetValue(_json))
        {
            output.WriteLine(JsonSerializer.Serialize(new { report, selfCheck = new { cases = checks, seconds, passed = failed.Length == 0 } }, DoctorJson));
        }
        else
        {
            Print(report, checks, seconds, output);
        }

        foreach (KernelCheckResult failure in failed)
        {
            error.WriteLine($"neural-style: error: kernel disagrees with float64: {failure.Describe()}");
        }

        if (!report.Guard.Reliable)
        {
            error.WriteLine($"neural-style: error: no kernel configuration is right on this CPU: {report.Guard.Reason}");
        }

        return failed.Length == 0 && report.Guard.Reliable ? 0 : 1;
    }

    private static void Print(RuntimeReport report, IReadOnlyList<KernelCheckResult> checks, double seconds, TextWriter output)
    {
        output.WriteLine($".NET:        {report.DotNet}");
        output.WriteLine($"TorchSharp:  {report.TorchSharp}");
        output.WriteLine($"LibTorch:    {report.LibTorch}");
        output.WriteLine($"oneDNN:      {report.OneDnn ?? "version not readable"}");
        output.WriteLine($"CPU:         {report.Cpu.Model} ({report.Cpu.Vendor}, {report.Cpu.Signature}), {report.Cpu.Cores} logical processors");
        output.WriteLine($"ISA:         {(report.Cpu.Extensions.Count == 0 ? "unknown" : string.Join(' ', report.Cpu.Extensions))}");
        output.WriteLine($"Threads:     {report.Threads}");
        output.WriteLine($"Native log:  {report.NativeLogLevel}{(report.NativeLogLevel == "error" ? " (LibTorch's warnings silenced; TORCH_CPP_LOG_LEVEL=WARNING shows them)" : "")}");
        output.WriteLine($"NNPACK:      {(report.Nnpack ? "on" : "off")}");
        output.WriteLine($"Kernels:     {report.Guard.Summary}");
        foreach (KernelCheckResult probe in report.Guard.OneDnnProbes.Where(p => !p.Passed))
        {
            output.WriteLine($"  oneDNN probe failed: {probe.Describe()}");
        }

        output.WriteLine($"Self-check ({report.Guard.ConfigurationName}, {checks.Count} cases, tolerance {Format(checks.FirstOrDefault()?.Tolerance ?? 1e-5)}):");
        foreach (IGrouping<string, KernelCheckResult> operation in checks.GroupBy(c => c.Operation))
        {
            int passed = operation.Count(c => c.Passed);
            double worst = operation.Max(c => c.Worst.NonFinite ? double.PositiveInfinity : c.Worst.RelativeError);
            output.WriteLine($"  {operation.Key,-17} {passed,3} of {operation.Count(),3} agree   worst relative error {Format(worst)}");
            foreach (KernelCheckResult failure in operation.Where(c => !c.Passed))
            {
                output.WriteLine($"    FAILED {failure.Describe()}");
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Self-check: {checks.Count(c => c.Passed)} of {checks.Count} cases agree with float64 ({seconds:0.0} s)"));
    }

    private static string Format(double value) => value.ToString("0.0e+00", CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions DoctorJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
