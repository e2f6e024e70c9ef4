using System.Diagnostics;
using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Runtime;
using NeuralStyle.Transfer;
using TorchSharp;

namespace NeuralStyle.Jobs;

/// <summary>
/// Runs a <see cref="StyleJobSpec"/> from input files to output files: checks the outputs, reads the images' headers,
/// chooses and loads the backbone, checks memory on the sizes the headers give, then reads and prepares the images,
/// runs the scales, applies the colour options, writes the pictures, the manifest and the state, and reports every
/// step as a <see cref="JobEvent"/>.
/// </summary>
/// <remarks>
/// Front ends only start jobs and consume events: the console's lines and progress bar, a web view, a queue. The
/// observer is called on the job's thread, in order; cancellation is checked at every iteration and leaves the files
/// of the last checkpoint (manifest and state) in place for a resume. A <see cref="RunControl"/> stop ends the run
/// early as a finished one instead (best picture, complete manifest, state), and its previews reach the observer as
/// <see cref="EngineProgress"/> of <see cref="PreviewImage"/>.
/// </remarks>
public static class StyleJob
{
    /// <summary>Runs <paramref name="spec"/>; throws after reporting <see cref="JobFailed"/> when it cannot finish.</summary>
    /// <exception cref="JobSpecException">The specification cannot be run as given (found before the long work; values out of range before any file is read).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled.</exception>
    public static JobFinished Run(StyleJobSpec spec, JobContext context, Action<JobEvent>? observer = null, CancellationToken cancellation = default, RunControl? control = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        Action<JobEvent> report = observer ?? (_ => { });
        var clock = Stopwatch.StartNew();
        try
        {
            JobFinished finished = Execute(spec, context, report, clock, cancellation, control);
            report(finished);
            return finished;
        }
        catch (Exception e)
        {
            report(new JobFailed(e is OperationCanceledException ? "cancelled" : e.Message, e));
            throw;
        }
    }

    private static JobFinished Execute(StyleJobSpec spec, JobContext context, Action<JobEvent> report, Stopwatch clock, CancellationToken cancellation, RunControl? control)
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        spec.Validate();
        // A run without a seed draws one now, so that its manifest (and a resume) can repeat it.
        spec = spec.Settings.Seed is null ? spec with { Settings = spec.Settings with { Seed = StyleTransfer.NewSeed() } } : spec;
        BackboneSelection selection = BackboneSelection.Resolve(spec.Network, spec.NetworkWeights, environment: context.WeightsEnvironment);
        JobOutputs.Check(spec);
        TorchRuntime.EnsureInitialized();

        // A resumed run's state is read (and its checksum verified) and matched with the network before the images
        // are read and the network is loaded; the rest of the match needs both (see ResumeCheck).
        string networkSha256 = ManifestRecorder.Sha256Of(selection.Path);
        using TransferState? resume = context.ResumeState is null ? null : ResumeCheck.Load(context.ResumeState, networkSha256, selection.Path);

        // Sizes first, from the headers: nothing full-size exists before the memory check in RunOn has passed.
        ImageLimits limits = JobInputs.Limits(spec, JobMemory.BudgetFor(spec.MaxMemoryMiB));
        JobImageSizes sizes = JobImageSizes.Measure(spec, limits);
        IFeatureNetwork network = Open(selection, spec);
        try
        {
            return RunOn(network, selection, networkSha256, spec, context, sizes, limits, resume, started, report, clock, cancellation, control);
        }
        finally
        {
            (network as IDisposable)?.Dispose();
        }
    }

    private static JobFinished RunOn(IFeatureNetwork network, BackboneSelection selection, string networkSha256, StyleJobSpec spec, JobContext context, JobImageSizes sizes, ImageLimits limits, TransferState? resume, DateTimeOffset started, Action<JobEvent> report, Stopwatch clock, CancellationToken cancellation, RunControl? control)
    {
        // The picture settings are recorded resolved (in the manifest's spec too): a resume keeps what this run used.
        spec = spec.WithPictureResolved(network.Defaults.EffectivePicture);
        StyleTransferSettings settings = spec.Weights.ApplyTo(spec.Settings, network.Defaults.EffectiveWeights);
        // Resolved once, before the resume check (a bf16 state continues only in bf16) and recorded resolved; the
        // transfers of every scale resolve the same way (the bf16 check runs once per process).
        PrecisionChoice precision = ResolvePrecision(settings, network);
        settings = settings with { Precision = precision.Used };
        TransferStateOrigin origin = ResumeCheck.OriginOf(networkSha256, selection, spec, settings, network.Defaults, sizes.Content);
        if (resume is not null)
        {
            ResumeCheck.Matches(context.ResumeState!, resume.Origin!, origin);
        }

        // Only now that the run will go on (a refused resume changes nothing on the disk): what a killed run of the
        // same outputs left, whether this run resumes it or starts again.
        StaleTemporaryFiles.Remove(spec, context);

        report(new JobStarted(network.Description, selection, precision) { Resolved = spec with { Settings = settings } });
        (int width, int height) = sizes.Content;
        int minSize = spec.MinSize ?? StyleRecipe.MinSizeFor(width, height);
        IReadOnlyList<ScaleStep> plan = MultiScaleSchedule.Plan(width, height, spec.Scales, minSize, settings.Iterations, spec.CoarseIterations);

        // Sizes first: the memory estimate runs the network (on meta tensors) at reduced sizes of the content's.
        int minimumSide = JobSizes.MinimumSide(network, settings);
        JobSizes.Check(minimumSide, spec, sizes, plan);
        TilingPlan? tiling = JobMemory.Check(network, settings, sizes, spec.MaxMemoryMiB, plan, report);
        report(new ScalesPlanned(plan));
        // After the memory check (a size that cannot fit in memory is the first thing to say, and its fix, a smaller
        // --width, also fixes the space), before the images are read and anything is written; the resolved picture
        // settings tell whether the state holds parameters beside the image.
        JobOutputs.CheckSpace(spec, settings, width, height);
        JobInputs inputs = JobInputs.Read(spec, limits);
        string manifestPath = JobOutputs.ManifestFor(spec);
        var manifest = new ManifestRecorder(manifestPath, JobRecord.Create(spec, context, started, minSize, settings, precision, network, selection, networkSha256, tiling), origin);

        try
        {
            return RunScales(network, spec, inputs, settings, plan, tiling, minimumSide, resume, manifest, manifestPath, report, clock, cancellation, control);
        }
        catch (NonFiniteLossException e)
        {
            NonFiniteLossException stopped = e.WithOutcome(JobRescue.KeepBest(spec, inputs, e, report));
            manifest.Fail(stopped.Message);
            throw stopped;
        }
    }

    // The scales of the plan, coarsest first; a resumed run's state belongs to the final scale, so the coarser ones
    // are not run again.
    // A tiling plan sets each scale's tile (a coarse scale that fits untiled runs untiled).
    // A stop during a coarse scale ends that scale, skips the others and runs one iteration at the final size, so
    // that a stopped run always leaves a full-size picture and a state to resume from.
    private static JobFinished RunScales(IFeatureNetwork network, StyleJobSpec spec, JobInputs inputs, StyleTransferSettings settings, IReadOnlyList<ScaleStep> plan, TilingPlan? tiling, int minimumSide, TransferState? resume, ManifestRecorder manifest, string manifestPath, Action<JobEvent> report, Stopwatch clock, CancellationToken cancellation, RunControl? control)
    {
        StyleTransferSettings AtScale(int k) => tiling is null ? settings : settings with { TileSize = tiling.ScaleTiles[k] };
        RgbImage? initial = inputs.Initial;
        for (int k = resume is null ? 0 : plan.Count - 1; k < plan.Count - 1 && control?.StopRequested != true; k++)
        {
            initial = JobScales.RunCoarse(network, AtScale(k), plan, k, inputs, initial, minimumSide, tiling?.Geometry, report, cancellation, control);
        }

        if (initial is not null && (initial.Width != inputs.Content.Width || initial.Height != inputs.Content.Height))
        {
            initial = ImageResizer.Resize(initial, inputs.Content.Width, inputs.Content.Height);
        }

        if (plan.Count > 1)
        {
            report(new ScaleStarted(plan.Count, plan.Count, inputs.Content.Width, inputs.Content.Height, settings.Iterations));
        }

        StyleTransferSettings final = AtScale(plan.Count - 1);
        var transfer = new StyleTransfer(network, plan.Count > 1 && resume is null ? final with { InitialNoiseBlend = 0 } : final, tiling?.Geometry);
        int completed = resume?.CompletedIterations ?? 0;
        foreach (TransferEvent e in transfer.Stylize(inputs.Content, inputs.Styles, initial, resume, captureState: true, control))
        {
            cancellation.ThrowIfCancellationRequested();
            switch (e)
            {
                case ImageProduced produced:
                    if (produced.IsFinal && produced.State is { CompletedIterations: int done } && done < settings.Iterations)
                    {
                        manifest.NoteStopped();
                    }

                    completed = produced.State?.CompletedIterations ?? completed;
                    Deliver(spec, inputs, manifest, produced, report);
                    break;
                case PreviewImage preview:
                    // The viewer sees what the file will hold: the colour options applied.
                    report(new EngineProgress(preview with { Image = inputs.Finish(spec, preview.Image) }));
                    break;
                default:
                    manifest.Record(e, null);
                    report(new EngineProgress(e));
                    break;
            }
        }

        int? stoppedAfter = completed < settings.Iterations ? completed : null;
        return new JobFinished(Path.GetFullPath(spec.Output), Path.GetFullPath(manifestPath), clock.Elapsed, stoppedAfter);
    }

    // A picture of the final scale: colours finished, written where the spec says, recorded with the state.
    private static void Deliver(StyleJobSpec spec, JobInputs inputs, ManifestRecorder manifest, ImageProduced produced, Action<JobEvent> report)
    {
        try
        {
            string? path = JobOutputs.FileFor(spec, produced.CheckpointIteration);
            RgbImage picture = inputs.Finish(spec, produced.Image);
            if (path is not null)
            {
                ImageWriter.Write(picture, path, overwrite: spec.Overwrite);
            }

            report(new PictureProduced(picture, produced.CheckpointIteration, path, produced.BestLoss, produced.Elapsed));
            manifest.Record(produced, path);
            report(new CheckpointSaved(manifest.Path, manifest.StatePath, manifest.CompletedIterations));
        }
        finally
        {
            produced.State?.Dispose();
        }
    }

    private static PrecisionChoice ResolvePrecision(StyleTransferSettings settings, IFeatureNetwork network)
    {
        try
        {
            return PrecisionChoice.Resolve(settings.Precision, network);
        }
        catch (ArgumentException e)
        {
            throw new JobSpecException(e.Message, e);
        }
    }

    // Only the layer choice matters when opening; the weights are applied once the backbone's defaults are known.
    private static IFeatureNetwork Open(BackboneSelection selection, StyleJobSpec spec) => selection.Open(spec.Pooling, spec.Settings);
}
