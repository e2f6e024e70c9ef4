using NeuralStyle.Imaging;
using NeuralStyle.Transfer;

namespace NeuralStyle.Jobs;

/// <summary>The coarser scales of a coarse-to-fine run.</summary>
internal static class JobScales
{
    /// <summary>
    /// One coarse scale: content and styles shrunk by the same factor, started from the previous scale's result (or
    /// the initial image / noise), reporting the engine's progress but writing no files; returns its result at the
    /// next scale's size.
    /// </summary>
    /// <remarks>The tiling geometry, when the job measured it, spares the scale measuring it again. A style that this shrinking would make smaller than <paramref name="minimumSide"/> (what the network can take) is kept at that size.</remarks>
    public static RgbImage RunCoarse(IFeatureNetwork network, StyleTransferSettings settings, IReadOnlyList<ScaleStep> plan, int k, JobInputs inputs, RgbImage? start, int minimumSide, Transfer.Tiling.TilingGeometry? geometry, Action<JobEvent> report, CancellationToken cancellation, RunControl? control = null)
    {
        ScaleStep step = plan[k];
        RgbImage content = inputs.Content;
        double factor = (double)step.Width / content.Width;
        report(new ScaleStarted(k + 1, plan.Count, step.Width, step.Height, step.Iterations));
        RgbImage scaledContent = ImageResizer.Resize(content, step.Width, step.Height);
        RgbImage[] scaledStyles = [.. inputs.Styles.Select(s =>
        {
            (int width, int height) = JobSizes.CoarseStyle(s, factor, minimumSide);
            return ImageResizer.Resize(s, width, height);
        })];
        RgbImage? scaledStart = start is null ? null : ImageResizer.Resize(start, step.Width, step.Height);
        StyleTransferSettings scaleSettings = settings with
        {
            Iterations = step.Iterations,
            CheckpointIterations = null,
            InitialNoiseBlend = k == 0 ? settings.InitialNoiseBlend : 0,
        };
        RgbImage? result = null;
        foreach (TransferEvent e in new StyleTransfer(network, scaleSettings, geometry).Stylize(scaledContent, scaledStyles, scaledStart, control: control))
        {
            cancellation.ThrowIfCancellationRequested();
            if (e is ImageProduced { IsFinal: true } produced)
            {
                result = produced.Image;
            }
            else if (e is not ImageProduced)
            {
                report(new EngineProgress(e));
            }
        }

        ScaleStep next = plan[k + 1];
        return ImageResizer.Resize(result!, next.Width, next.Height);
    }
}
