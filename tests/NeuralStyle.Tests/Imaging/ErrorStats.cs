namespace NeuralStyle.Tests.Imaging;

/// <summary>Absolute error between two images; Histogram[k] counts values with ceil(error) == k (k = 3 means 3 or more).</summary>
internal sealed record ErrorStats(double Max, double Mean, int[] Histogram, int Count)
{
    /// <summary>Fraction of values off by at most <paramref name="levels"/> (levels 0..2).</summary>
    public double FractionWithin(int levels) => Histogram.Take(levels + 1).Sum() / (double)Count;

    public override string ToString() =>
        $"max {Max:G4}, mean {Mean:G4}, |err| 0:{Histogram[0]} (0,1]:{Histogram[1]} (1,2]:{Histogram[2]} >2:{Histogram[3]} of {Count}";
}
