using NeuralStyle.Imaging;

/// <summary>What every benchmark shares: seeded random images and the median of timings.</summary>
internal static class BenchData
{
    /// <summary>A size x size RGB image of uniform random values in 0..255, the same for the same seed.</summary>
    public static RgbImage RandomImage(int size, int seed)
    {
        var random = new Random(seed);
        float[] pixels = new float[size * size * 3];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (float)(random.NextDouble() * 255);
        }

        return new RgbImage(size, size, pixels);
    }

    /// <summary>The median (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
