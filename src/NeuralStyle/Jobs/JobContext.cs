namespace NeuralStyle.Jobs;

/// <summary>What the host tells a job besides its specification: how it was asked for, and what it resumes.</summary>
/// <param name="Arguments">The command line (or other request) that asked for the run, recorded in the manifest.</param>
/// <param name="ResumedManifest">The manifest of the run this one continues, or null.</param>
/// <param name="ResumeState">That run's state file, or null.</param>
public sealed record JobContext(IReadOnlyList<string> Arguments, string? ResumedManifest = null, string? ResumeState = null)
{
    /// <summary>Where --network NAME finds known weight files (the weights caches); null for the process's environment.</summary>
    public Weights.Cache.WeightsEnvironment? WeightsEnvironment { get; init; }

    /// <summary>A fresh run with no recorded request.</summary>
    public static JobContext None { get; } = new([]);
}
