using NeuralStyle.Imaging;
using NeuralStyle.Transfer;

namespace NeuralStyle.Jobs;

/// <summary>What a job keeps when its run stops at a non-finite loss.</summary>
internal static class JobRescue
{
    /// <summary>
    /// Writes the best finite image so far (one from a coarser scale enlarged to the output's size) as the output, so
    /// the work done is not lost; returns what happened, for the error line.
    /// </summary>
    public static string KeepBest(StyleJobSpec spec, JobInputs inputs, NonFiniteLossException e, Action<JobEvent> report)
    {
        if (e.BestImage is not RgbImage best)
        {
            return "no finite image to keep, nothing was written";
        }

        RgbImage sized = best.Width == inputs.Content.Width && best.Height == inputs.Content.Height
            ? best
            : ImageResizer.Resize(best, inputs.Content.Width, inputs.Content.Height);
        RgbImage picture = inputs.Finish(spec, sized);
        ImageWriter.Write(picture, spec.Output, overwrite: spec.Overwrite);
        report(new PictureProduced(picture, null, spec.Output, e.BestLoss, TimeSpan.Zero));
        string scale = ReferenceEquals(sized, best) ? "" : $" at {best.Width}x{best.Height}, enlarged";
        return $"the best finite image so far (iteration {e.BestIteration}{scale}, loss {e.BestLoss:G6}) was written to {spec.Output}";
    }
}
