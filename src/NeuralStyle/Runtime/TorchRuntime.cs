using System.Reflection;
using NeuralStyle.Kernels;
using TorchSharp;

namespace NeuralStyle.Runtime;

/// <summary>
/// The process-wide LibTorch set-up, done once before the first real computation: native warnings silenced
/// (<see cref="NativeLogLevel"/>), NNPACK off, the host's thread count, and the kernel guard
/// (<see cref="KernelGuard"/>) choosing kernels that give right answers on this CPU.
/// </summary>
/// <remarks>
/// The host (the CLI, a test assembly, a benchmark) calls <see cref="Initialize"/> with its thread count; every
/// library entry point that computes calls <see cref="EnsureInitialized"/>, so a host that forgets still gets the
/// guard. NNPACK is never used: LibTorch only picks it for float32 inference at batch 16 and more, and on CPUs it
/// does not recognise its availability check logs a warning on every convolution.
/// </remarks>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static RuntimeReport? _report;

    /// <summary>The report, once initialised.</summary>
    public static RuntimeReport? Report => _report;

    /// <summary>Initialises LibTorch once (later calls only change the thread count if given); never throws for a failed guard, see <see cref="EnsureInitialized"/>.</summary>
    public static RuntimeReport Initialize(RuntimeOptions? options = null)
    {
        options ??= new RuntimeOptions();
        lock (Gate)
        {
            if (_report is not null)
            {
                if (options.Threads is int threads && threads != _report.Threads)
                {
                    torch.set_num_threads(threads);
                    _report = _report with { Threads = torch.get_num_threads() };
                }

                return _report;
            }

            // Logging first: the guard's first convolutions would otherwise be the ones that print.
            LibTorchNative.LogLevel = NativeLogLevel.FromEnvironment();
            LibTorchNative.NnpackEnabled = false;
            torch.set_num_threads(options.Threads ?? Environment.ProcessorCount);
            KernelGuardDecision guard = KernelGuard.Decide(options.OneDnn ?? PolicyFromEnvironment());
            _report = new RuntimeReport(
                Environment.Version.ToString(),
                Version(typeof(torch).Assembly),
                torch.__version__,
                LibTorchNative.OneDnnVersion,
                CpuDescription.Read(),
                torch.get_num_threads(),
                NativeLogLevel.Name(LibTorchNative.LogLevel),
                LibTorchNative.NnpackEnabled,
                guard);
            return _report;
        }
    }

    /// <summary>Initialises (with <paramref name="options"/>, or the defaults if the host has not), and refuses to go on with kernels that failed the guard.</summary>
    /// <exception cref="KernelCheckException">No configuration gives right answers on this CPU.</exception>
    public static RuntimeReport EnsureInitialized(RuntimeOptions? options = null)
    {
        RuntimeReport report = options is null && _report is not null ? _report : Initialize(options);
        if (!report.Guard.Reliable)
        {
            throw new KernelCheckException($"LibTorch's kernels give wrong results on this CPU ({report.Cpu.Model}): {report.Guard.Reason}; run `neural-style doctor` for details");
        }

        return report;
    }

    /// <summary>Runs the guard again (tests: with an injected fault) and records its decision.</summary>
    internal static RuntimeReport RerunGuard(OneDnnPolicy policy, KernelFault? fault = null)
    {
        lock (Gate)
        {
            RuntimeReport report = _report ?? Initialize();
            _report = report with { Guard = KernelGuard.Decide(policy, fault: fault) };
            return _report;
        }
    }

    /// <summary>The policy <c>NEURALSTYLE_ONEDNN</c> asks for (auto when unset).</summary>
    /// <exception cref="ArgumentException">The variable holds something other than auto or off.</exception>
    public static OneDnnPolicy PolicyFromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable("NEURALSTYLE_ONEDNN");
        return value?.Trim().ToUpperInvariant() switch
        {
            null or "" or "AUTO" => OneDnnPolicy.Auto,
            "OFF" or "0" => OneDnnPolicy.Off,
            _ => throw new ArgumentException($"NEURALSTYLE_ONEDNN must be auto or off (got '{value}')"),
        };
    }

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
