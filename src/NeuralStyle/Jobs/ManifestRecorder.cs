using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using NeuralStyle.Files;
using NeuralStyle.Transfer;
using TorchSharp;

namespace NeuralStyle.Jobs;

/// <summary>Builds the run manifest from the engine's events and rewrites it (atomically) at every checkpoint.</summary>
/// <remarks>
/// Rewriting at checkpoints means a run that is killed leaves a manifest that matches its last checkpoint file. At a
/// checkpoint the state is written first and the manifest second, each through a temporary file and a rename: a run
/// stopped between the two (killed, or a full disk) leaves a manifest whose state is as new as it or newer, never
/// older and never half-written, and a failed write leaves the previous file of its kind in place.
/// </remarks>
internal sealed class ManifestRecorder
{
    /// <summary>How manifests are written and read.</summary>
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly string _path;
    private readonly RunManifest _manifest;
    private readonly TransferStateOrigin _origin;
    private readonly Func<string, Stream, Stream>? _wrap;

    /// <param name="path">OUTPUT.json.</param>
    /// <param name="manifest">The manifest the run starts with.</param>
    /// <param name="origin">The run the states written here belong to (recorded in each, checked on resume).</param>
    /// <param name="wrap">Test seam: wraps the stream of every file written (state and manifest), e.g. to fail like a full disk.</param>
    public ManifestRecorder(string path, RunManifest manifest, TransferStateOrigin origin, Func<string, Stream, Stream>? wrap = null)
    {
        _path = path;
        _manifest = manifest;
        _origin = origin;
        _wrap = wrap;
    }

    /// <summary>Where the manifest is written.</summary>
    public string Path => System.IO.Path.GetFullPath(_path);

    /// <summary>The state file recorded so far, or null.</summary>
    public string? StatePath => _manifest.State;

    /// <summary>The iterations the recorded state holds.</summary>
    public int CompletedIterations => _manifest.CompletedIterations;

    /// <summary>OUTPUT.json for an output OUTPUT.png.</summary>
    public static string PathFor(string output) => System.IO.Path.ChangeExtension(output, ".json");

    /// <summary>OUTPUT.state beside OUTPUT.json.</summary>
    public static string StatePathFor(string manifest) => System.IO.Path.ChangeExtension(manifest, ".state");

    /// <summary>The network file with its <paramref name="sha256"/> (from <see cref="Sha256Of"/>), size and how it was chosen.</summary>
    public static RunManifest.NetworkRecord DescribeNetwork(string path, string source, string description, string sha256) =>
        new(System.IO.Path.GetFullPath(path), source, description, sha256, new FileInfo(path).Length);

    /// <summary>SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static IReadOnlyDictionary<string, string> Libraries() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        [".NET"] = Environment.Version.ToString(),
        ["TorchSharp"] = Version(typeof(torch).Assembly),
        ["LibTorch"] = torch.__version__,
        ["oneDNN"] = NeuralStyle.Runtime.TorchRuntime.Report?.OneDnn ?? "unknown",
        ["SkiaSharp"] = Version(typeof(SkiaSharp.SKBitmap).Assembly),
        ["NeuralStyle"] = Version(typeof(StyleTransfer).Assembly),
    };

    public static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";

    public void Record(TransferEvent e, string? writtenFile)
    {
        switch (e)
        {
            case LossesEvaluated l:
                _manifest.Losses.Add(new RunManifest.LossRecord(l.Iteration, l.Losses.Content, l.Losses.Style, l.Losses.TotalVariation, l.Losses.Total, Elapsed()));
                break;
            case ImageProduced p:
                _manifest.Checkpoints.Add(new RunManifest.CheckpointRecord(p.CheckpointIteration, p.BestLoss, p.IterateLoss, p.AverageLoss, p.Elapsed.TotalSeconds, writtenFile is null ? null : System.IO.Path.GetFullPath(writtenFile)));
                if (p.State is not null)
                {
                    // The state goes first: a manifest must never point at a state older than itself.
                    string statePath = StatePathFor(_path);
                    TransferStateFile.Write(p.State, _origin, statePath, _wrap);
                    _manifest.State = System.IO.Path.GetFullPath(statePath);
                    _manifest.CompletedIterations = p.State.CompletedIterations;
                }

                Save(completed: p.IsFinal);
                break;
        }
    }

    /// <summary>Marks the run as ended early by a stop; saved with the next record.</summary>
    public void NoteStopped() => _manifest.Stopped = true;

    /// <summary>Records why the run stopped and saves; the state of the last checkpoint stays the one to resume from.</summary>
    public void Fail(string reason)
    {
        _manifest.Failure = reason;
        Save(completed: false);
    }

    public void Save(bool completed)
    {
        _manifest.Completed = completed;
        _manifest.Finished = completed ? DateTimeOffset.UtcNow : null;
        _manifest.WallSeconds = Elapsed();
        _manifest.PeakMemoryBytes = PeakMemoryBytes();
        AtomicFile.Write(_path, "the run manifest", stream => JsonSerializer.Serialize(stream, _manifest, Json), _wrap);
    }

    private double Elapsed() => (DateTimeOffset.UtcNow - _manifest.Started).TotalSeconds;

    // VmHWM: the process's peak resident set, what a user would compare with their machine's RAM.
    private static long PeakMemoryBytes()
    {
        try
        {
            string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? Environment.WorkingSet : long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return Environment.WorkingSet;
        }
    }
}
