using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeuralStyle.Kernels;
using NeuralStyle.Runtime;

namespace NeuralStyle.Cli;

/// <summary>
/// <c>neural-style doctor [--threads N] [--json]</c>: versions, CPU, threads, native logging, the kernel guard's
/// decision and why, then a self-check of every kernel the networks use against float64, then the bfloat16 check
/// (<see cref="Bf16Guard"/>: native bfloat16 or not, the probes' worst error against the tolerance, the speed probe
/// and what <c>--precision auto</c> would choose). Exit 1 when a float32 kernel disagrees; a bfloat16 check that fails
/// is reported but only refuses bf16 (float32 runs are unaffected).
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

    /// <summary>Test seam: the bfloat16 decision doctor reports (null: <see cref="Bf16Guard.Current"/>), to show what it says on another CPU.</summary>
    internal static Func<Bf16Decision>? Bf16Source { get; set; }

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
        Bf16Decision bf16 = (Bf16Source ?? (() => Bf16Guard.Current))();
        string[] native = [.. Bf16Guard.NativeExtensions.Where(report.Cpu.Extensions.Contains)];
        if (parsed.GetValue(_json))
        {
            output.WriteLine(JsonSerializer.Serialize(new { report, selfCheck = new { cases = checks, seconds, passed = failed.Length == 0 }, bf16 = Bf16Json(bf16, native) }, DoctorJson));
        }
        else
        {
            Print(report, checks, seconds, output);
            PrintBf16(bf16, native, output);
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

    // The bfloat16 check as doctor reports it: what --precision bf16 and auto would do here, and why.
    private static object Bf16Json(Bf16Decision bf16, string[] native) => new
    {
        native = native.Length > 0,
        nativeExtensions = native,
        usable = bf16.Usable,
        probes = bf16.Probes.Count,
        probesPassed = bf16.Probes.Count(p => p.Passed),
        worstRelativeError = bf16.WorstRelativeError,
        tolerance = Bf16Guard.Tolerance,
        speedRatio = bf16.SpeedRatio,
        autoNeeds = Bf16Guard.AutoSpeedup,
        autoChooses = bf16.WorthIt ? "bf16" : "fp32",
        reason = bf16.Reason,
        milliseconds = bf16.Milliseconds,
    };

    private static void PrintBf16(Bf16Decision bf16, string[] native, TextWriter output)
    {
        output.WriteLine($"bf16:        {(native.Length > 0 ? "native (" + string.Join(", ", native) + ")" : "not native (no " + string.Join(" nor ", Bf16Guard.NativeExtensions) + "): --precision bf16 is refused, auto runs fp32")}");
        if (bf16.Probes.Count > 0)
        {
            output.WriteLine($"  start-up check: {bf16.Probes.Count(p => p.Passed)} of {bf16.Probes.Count} bf16 convolution probes agree with float64, worst relative error {Format(bf16.WorstRelativeError)} (tolerance {Format(Bf16Guard.Tolerance)}){(bf16.Usable ? "" : ": --precision bf16 is refused")}");
        }

        if (!double.IsNaN(bf16.SpeedRatio))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  speed probe:    a VGG-sized convolution in bf16 runs {bf16.SpeedRatio:0.00}x as fast as fp32 (auto needs {Bf16Guard.AutoSpeedup:0.0}x)"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  --precision auto would choose {(bf16.WorthIt ? "bf16" : "fp32")} here (for VGG and ONNX backbones; zoo models always run fp32) ({bf16.Milliseconds:0} ms)"));
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
