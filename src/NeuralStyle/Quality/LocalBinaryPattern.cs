namespace NeuralStyle.Quality;

/// <summary>
/// Rotation-invariant uniform local binary patterns with 8 neighbours, as scikit-image's
/// <c>local_binary_pattern(image, P=8, R, method='uniform')</c>: codes 0..9, where 0..8 count the neighbours at least
/// as bright as the centre for patterns with at most two 0/1 changes, and 9 is every other pattern.
/// </summary>
/// <remarks>
/// As there, the neighbours lie on a circle of radius R (angles 2πp/8, positions rounded to 5 decimals) and are read
/// by bilinear interpolation with zero outside the image, and the 0/1 changes are counted along the 8 neighbours
/// without the wrap from the last to the first.
/// </remarks>
public static class LocalBinaryPattern
{
    /// <summary>Number of neighbours.</summary>
    public const int Points = 8;

    /// <summary>Number of distinct uniform codes (P + 2).</summary>
    public const int Codes = Points + 2;

    /// <summary>The code of every pixel, row-major.</summary>
    public static int[] Codes8(GreyPlane plane, double radius)
    {
        ArgumentNullException.ThrowIfNull(plane);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(radius);
        var dr = new double[Points];
        var dc = new double[Points];
        for (int p = 0; p < Points; p++)
        {
            double angle = 2 * Math.PI * p / Points;
            dr[p] = RoundTo5Decimals(-radius * Math.Sin(angle));
            dc[p] = RoundTo5Decimals(radius * Math.Cos(angle));
        }

        var codes = new int[plane.Width * plane.Height];
        Span<bool> above = stackalloc bool[Points];
        for (int r = 0; r < plane.Height; r++)
        {
            for (int c = 0; c < plane.Width; c++)
            {
                double centre = plane[c, r];
                int count = 0;
                for (int p = 0; p < Points; p++)
                {
                    above[p] = Bilinear(plane, r + dr[p], c + dc[p]) - centre >= 0;
                    count += above[p] ? 1 : 0;
                }

                int changes = 0;
                for (int p = 0; p < Points - 1; p++)
                {
                    changes += above[p] != above[p + 1] ? 1 : 0;
                }

                codes[(r * plane.Width) + c] = changes <= 2 ? count : Points + 1;
            }
        }

        return codes;
    }

    /// <summary>The share of pixels with each code (10 values summing to 1).</summary>
    public static double[] Histogram(GreyPlane plane, double radius)
    {
        var histogram = new double[Codes];
        int[] codes = Codes8(plane, radius);
        foreach (int code in codes)
        {
            histogram[code]++;
        }

        for (int i = 0; i < Codes; i++)
        {
            histogram[i] /= codes.Length;
        }

        return histogram;
    }

    // numpy.round(x, 5): scale, round half to even, scale back (so sin(π) becomes exactly 0).
    private static double RoundTo5Decimals(double x) => Math.Round(x * 1e5, MidpointRounding.ToEven) / 1e5;

    // scikit-image's bilinear_interpolation with mode 'C' (constant 0 outside), in the same order of operations.
    private static double Bilinear(GreyPlane plane, double r, double c)
    {
        double minr = Math.Floor(r), minc = Math.Floor(c), maxr = Math.Ceiling(r), maxc = Math.Ceiling(c);
        double fr = r - minr, fc = c - minc;
        double topLeft = Pixel(plane, minr, minc), topRight = Pixel(plane, minr, maxc);
        double bottomLeft = Pixel(plane, maxr, minc), bottomRight = Pixel(plane, maxr, maxc);
        double top = ((1 - fc) * topLeft) + (fc * topRight);
        double bottom = ((1 - fc) * bottomLeft) + (fc * bottomRight);
        return ((1 - fr) * top) + (fr * bottom);
    }

    private static double Pixel(GreyPlane plane, double r, double c) =>
        r < 0 || c < 0 || r >= plane.Height || c >= plane.Width ? 0 : plane[(int)c, (int)r];
}
