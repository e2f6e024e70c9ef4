namespace NeuralStyle.Jobs;

/// <summary>What a run did, written next to its output (OUTPUT.json) so that scripts and people can see how an image was made.</summary>
internal sealed record RunManifest
{
    public string Tool { get; init; } = "neural-style";

    public required string ToolVersion { get; init; }

    public required IReadOnlyList<string> Arguments { get; init; }

    public required DateTimeOffset Started { get; init; }

    public DateTimeOffset? Finished { get; set; }

    public required bool Completed { get; set; }

    public required object Options { get; init; }

    /// <summary>The job's specification as given (before the backbone's loss weights), with its picture settings resolved, for scripts and for resuming.</summary>
    public required StyleJobSpec Spec { get; init; }

    public required NetworkRecord Network { get; init; }

    public required IReadOnlyDictionary<string, string> Libraries { get; init; }

    /// <summary>The CPU and the kernel configuration the start-up guard chose for it.</summary>
    public required KernelsRecord Kernels { get; init; }

    public List<LossRecord> Losses { get; } = [];

    public List<CheckpointRecord> Checkpoints { get; } = [];

    /// <summary>The state file to resume from (OUTPUT.state) and the iterations it holds.</summary>
    public string? State { get; set; }

    public int CompletedIterations { get; set; }

    /// <summary>Why the run stopped before its end (a non-finite loss), or null.</summary>
    public string? Failure { get; set; }

    /// <summary>True when a stop (the web view's button, Ctrl-C) ended the run before its last iteration; <see cref="CompletedIterations"/> says where.</summary>
    public bool Stopped { get; set; }

    /// <summary>The manifest this run resumed, if any.</summary>
    public string? ResumedFrom { get; init; }

    public double WallSeconds { get; set; }

    public long PeakMemoryBytes { get; set; }

    /// <summary>The network file and how it was chosen.</summary>
    public sealed record NetworkRecord(string Path, string Source, string Description, string Sha256, long Bytes);

    /// <summary>The kernel guard's decision (see NeuralStyle.Runtime.KernelGuard) and the machine it was made on.</summary>
    public sealed record KernelsRecord(string Configuration, string Policy, bool Reliable, string Reason, int Probes, double WorstRelativeError, double GuardMilliseconds, string Cpu, string CpuSignature, IReadOnlyList<string> Extensions, string NativeLogLevel)
    {
        public static KernelsRecord From(NeuralStyle.Runtime.RuntimeReport report) => new(
            report.Guard.ConfigurationName,
            report.Guard.Policy.ToString().ToLowerInvariant(),
            report.Guard.Reliable,
            report.Guard.Reason,
            report.Guard.ChosenProbes.Count,
            report.Guard.WorstRelativeError,
            Math.Round(report.Guard.Milliseconds, 1),
            report.Cpu.Model,
            report.Cpu.Signature,
            report.Cpu.Extensions,
            report.NativeLogLevel);
    }

    /// <summary>Printed losses (1-based iteration, before its step).</summary>
    public sealed record LossRecord(int Iteration, double Content, double Style, double Tv, double Total, double ElapsedSeconds);

    /// <summary>An image written (checkpoint iteration 0-based as in the file name, null for the final image).</summary>
    public sealed record CheckpointRecord(int? CheckpointIteration, double BestLoss, double IterateLoss, double? AverageLoss, double ElapsedSeconds, string? File);
}
