using System.Globalization;
using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Losses;

namespace NeuralStyle.Jobs;

/// <summary>
/// What a saved state must share with the run that continues it, and the checks that refuse one that does not, before
/// the long work: the same network file (by SHA-256), the same image size, the same objective and optimiser.
/// </summary>
/// <remarks>
/// Must match: everything that defines the objective (content and style files by SHA-256, style scales, colour
/// transfer, luminance-only, pooling, layers and their weights, loss weights, style loss, smoothing, blend weights,
/// the image's parameterisation, colour decorrelation and transforms, the precision as resolved: bf16's losses differ
/// from fp32's by about a percent, enough to keep the wrong best picture):
/// the state's best image and best loss are values of that objective, and a run that changed it would compare new
/// losses with the old best and could keep the wrong picture. And everything that shaped the optimiser's saved state
/// (the optimiser; Adam's betas and epsilon, which its moments and bias correction were built with; L-BFGS's history
/// and line search; the averaging decay the saved average was built with).
/// May change: how long to run and what to report or write (--iterations, --print-iterations,
/// --checkpoint-iterations, --checkpoint-output, --output, --preserve-colors, applied to pictures only), how to run it
/// (--threads, --max-memory, --tile: tiling is exact), the step size (--learning-rate: Adam's moments and L-BFGS's pairs do not depend on it,
/// and lowering it to refine is a reason to resume), --seed (the saved state carries no random draws), and what only
/// shapes the start of a run, which a resumed run does not repeat (--initial, --initial-noiseblend, --scales,
/// --min-size, --coarse-iterations, --recipe).
/// </remarks>
internal static class ResumeCheck
{
    /// <summary>Reads the state a resumed run continues and refuses it when it was saved with another network file.</summary>
    /// <exception cref="InvalidDataException">The file is damaged or of an older format (exit 1: the file, not the request, is wrong).</exception>
    /// <exception cref="JobSpecException">The state belongs to a run of another network.</exception>
    public static TransferState Load(string statePath, string networkSha256, string networkPath)
    {
        TransferState state = TransferStateFile.Read(statePath);
        TransferStateOrigin saved = state.Origin!;
        if (!string.Equals(saved.NetworkSha256, networkSha256, StringComparison.Ordinal))
        {
            state.Dispose();
            throw new JobSpecException($"cannot resume: {statePath} was saved by a run of the network {saved.Network} (SHA-256 {Short(saved.NetworkSha256)}), "
                + $"not of {networkPath} (SHA-256 {Short(networkSha256)}); resume with --network {saved.Network}");
        }

        return state;
    }

    /// <summary>The origin this run records in every state it writes.</summary>
    public static TransferStateOrigin OriginOf(string networkSha256, BackboneSelection selection, StyleJobSpec spec, StyleTransferSettings settings, BackboneDefaults defaults, (int Width, int Height) content)
    {
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["--content"] = "SHA-256 " + Short(ManifestRecorder.Sha256Of(spec.Content)),
            ["--styles"] = string.Join(", ", spec.Styles.Select(s => "SHA-256 " + Short(ManifestRecorder.Sha256Of(s)))),
            ["--style-scales"] = Numbers(spec.Styles.Select((_, i) => spec.StyleScales?[i] ?? 1.0)),
            ["--color-transfer"] = spec.ColorTransfer switch { ColorTransferMethod.Cholesky => "histogram", ColorTransferMethod.SymmetricSqrt => "histogram-sqrt", null => "none", var m => m.ToString()! },
            ["--luminance-only"] = Flag(spec.LuminanceOnly),
            ["--pooling"] = spec.Pooling.ToString().ToLowerInvariant(),
            ["--content-layers"] = Layers(settings.ContentLayerWeights(defaults)),
            ["--style-layers"] = Layers(settings.StyleLayerWeights(defaults)),
            ["--content-weight"] = Number(settings.ContentWeight),
            ["--style-weight"] = Number(settings.StyleWeight),
            ["--tv-weight"] = Number(settings.TvWeight),
            ["--chroma-tv-weight"] = Number(settings.ChromaTvWeight),
            ["--parameterization"] = settings.Parameterization.ToString().ToLowerInvariant(),
            ["--decorrelate-colors"] = Flag(settings.DecorrelateColors),
            ["--jitter"] = Number(settings.Robustness.JitterPixels),
            ["--scale-range"] = Numbers([settings.Robustness.ScaleMin, settings.Robustness.ScaleMax]),
            ["--rotation"] = Number(settings.Robustness.RotationDegrees),
            ["--style-blend-weights"] = Numbers(settings.NormalisedBlendWeights(spec.Styles.Count)),
            ["--style-loss"] = settings.StyleLoss switch { StyleLossKind.MeanStd => "meanstd", StyleLossKind.Wasserstein2 => "w2", StyleLossKind.Sliced => "sliced", var k => k.ToString().ToLowerInvariant() },
            ["--smoothing"] = (settings.Smoothing ?? defaults.Smoothing).ToString().ToLowerInvariant(),
            ["--optimizer"] = settings.Optimizer.ToString().ToLowerInvariant(),
            ["--average"] = settings.AverageDecay is double decay ? Number(decay) : "off",
            ["--precision"] = PrecisionChoice.Name(settings.Precision),
        };
        if (selection.ZooModel is string model)
        {
            options["--network"] = model;
        }

        if (settings.Optimizer == OptimizerKind.Adam)
        {
            options["--beta1"] = Number(settings.Beta1);
            options["--beta2"] = Number(settings.Beta2);
            options["--epsilon"] = Number(settings.Epsilon);
        }
        else
        {
            options["--lbfgs-history"] = settings.LbfgsHistory.ToString(CultureInfo.InvariantCulture);
            options["--lbfgs-line-search"] = Flag(settings.LbfgsStrongWolfe);
        }

        return new TransferStateOrigin(networkSha256, Path.GetFullPath(selection.Path), content.Width, content.Height, options);
    }

    /// <summary>Refuses a saved state whose image size or options differ from this run's, naming the first difference.</summary>
    /// <exception cref="JobSpecException">They differ.</exception>
    public static void Matches(string statePath, TransferStateOrigin saved, TransferStateOrigin now)
    {
        if (saved.Width != now.Width || saved.Height != now.Height)
        {
            throw new JobSpecException($"cannot resume: {statePath} was saved for a {saved.Width}x{saved.Height} image, this run's is {now.Width}x{now.Height} (--width or the content image differs)");
        }

        // The optimiser first: with another one, its own options differ too, and the optimiser is the reason.
        foreach (string option in saved.Options.Keys.Union(now.Options.Keys).OrderBy(o => o != "--optimizer").ThenBy(o => o, StringComparer.Ordinal))
        {
            string was = saved.Options.GetValueOrDefault(option) ?? OlderStateValues.GetValueOrDefault(option) ?? "(not used)";
            string isNow = now.Options.GetValueOrDefault(option) ?? "(not used)";
            if (!string.Equals(was, isNow, StringComparison.Ordinal))
            {
                throw new JobSpecException($"cannot resume: {statePath} was saved with {option} {was}, this run has {isNow}; "
                    + "a resumed run keeps the objective and the optimiser (it may change --iterations, --print-iterations, --checkpoint-iterations, --checkpoint-output, --learning-rate, --threads)");
            }
        }
    }

    // Options a state saved before they existed does not record: it was made with the seed's value, the only one
    // there was, so a run with that value may continue it and one with another is refused like any difference.
    private static readonly Dictionary<string, string> OlderStateValues = new(StringComparer.Ordinal)
    {
        ["--parameterization"] = "pixel",
        ["--decorrelate-colors"] = "off",
        ["--jitter"] = "0",
        ["--scale-range"] = "1 1",
        ["--rotation"] = "0",
        ["--precision"] = "fp32",
    };

    // 16 hex digits (64 bits) tell files apart well enough for a message and for the input files' entries; the
    // network's comparison uses the full digest.
    private static string Short(string sha256) => sha256.Length > 16 ? sha256[..16] : sha256;

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Numbers(IEnumerable<double> values) => string.Join(" ", values.Select(Number));

    private static string Flag(bool value) => value ? "on" : "off";

    private static string Layers(IEnumerable<LayerWeight> layers) => string.Join(" ", layers.Select(l => $"{l.Layer}:{Number(l.Weight)}"));
}
