namespace NeuralStyle.Transfer;

/// <summary>One step of a coarse-to-fine run: the image size and how many iterations it gets.</summary>
public sealed record ScaleStep(int Width, int Height, int Iterations);

/// <summary>Coarse-to-fine schedules: most iterations run on few pixels, each scale starting from the last one's result.</summary>
public static class MultiScaleSchedule
{
    /// <summary>
    /// <paramref name="scales"/> sizes in geometric progression from <paramref name="minSize"/> (long side) up to the
    /// final size. The final scale gets <paramref name="finalIterations"/>, every coarser one
    /// <paramref name="coarseIterations"/> (cheap: at half the size an iteration costs a quarter).
    /// </summary>
    public static IReadOnlyList<ScaleStep> Plan(int finalWidth, int finalHeight, int scales, int minSize, int finalIterations, int coarseIterations)
    {
        if (scales < 1 || minSize < 1 || finalIterations < 1 || finalWidth < 1 || finalHeight < 1 || coarseIterations < 1)
        {
            throw new ArgumentException("scales, minimum size, iterations and sizes must be positive");
        }

        int longSide = Math.Max(finalWidth, finalHeight);
        if (scales == 1 || minSize >= longSide)
        {
            return [new ScaleStep(finalWidth, finalHeight, finalIterations)];
        }

        var steps = new List<ScaleStep>();
        for (int k = 0; k < scales; k++)
        {
            double ratio = k == scales - 1 ? 1 : Math.Pow((double)minSize / longSide, (double)(scales - 1 - k) / (scales - 1));
            int width = Math.Max(1, (int)Math.Round(finalWidth * ratio));
            int height = Math.Max(1, (int)Math.Round(finalHeight * ratio));
            int iterations = k == scales - 1 ? finalIterations : coarseIterations;
            steps.Add(new ScaleStep(width, height, iterations));
        }

        return steps;
    }
}
