using NeuralStyle.Jobs;
using NeuralStyle.Transfer;

namespace NeuralStyle.Examples;

/// <summary>The library in a few lines: the README's main job as a method call, with a progress callback.</summary>
public static class StyliseExample
{
    /// <summary>
    /// Paints <paramref name="content"/> in the manner of <paramref name="style"/> and writes <paramref name="output"/>
    /// (with its manifest, OUTPUT.json). The bundled ResNet-18 and our recipe: three scales, the coarser two with half
    /// the iterations. <paramref name="progress"/> gets (scale, scales, iteration, iterations) at every step.
    /// </summary>
    public static void Stylise(string content, string style, string output, Action<int, int, int, int> progress, int width = 256, int iterations = 200)
    {
        var spec = new StyleJobSpec
        {
            Content = content,
            Styles = [style],
            Initial = content,
            Output = output,
            Overwrite = true,
            Width = width,
            Scales = 3,
            CoarseIterations = Math.Max(1, iterations / 2),
            Settings = new StyleTransferSettings { Iterations = iterations, Seed = 1 },
        };
        int scale = 1, scales = 1;
        StyleJob.Run(spec, JobContext.None, e =>
        {
            if (e is ScaleStarted started)
            {
                (scale, scales) = (started.Scale, started.Scales);
            }
            else if (e is EngineProgress { Event: IterationStarted step })
            {
                progress(scale, scales, step.Iteration, step.Total);
            }
        });
    }
}
