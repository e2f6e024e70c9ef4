using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace NeuralStyle.Plotting;

/// <summary>Ticks of a log10 axis (values are plotted as their log10) labelled with the values themselves.</summary>
internal static class LogTicks
{
    /// <summary>
    /// Major ticks at round multiples of the powers of ten between <paramref name="min"/> and <paramref name="max"/>
    /// (both positive): the powers alone over many decades, 1, 2 and 5 over a few, every digit over about one, so that
    /// a narrow range still gets labels; minor ticks at every digit.
    /// </summary>
    public static NumericManual Between(double min, double max) => new([.. Of(min, max)]);

    /// <summary>The ticks of <see cref="Between"/>: positions (log10 of the values), labels of the major ones.</summary>
    public static IReadOnlyList<Tick> Of(double min, double max)
    {
        var ticks = new List<Tick>();
        int low = (int)Math.Floor(Math.Log10(min)), high = (int)Math.Ceiling(Math.Log10(max));
        double decades = Math.Log10(max / min);
        double[] majors = decades > 4 ? [1] : decades > 1.5 ? [1, 2, 5] : [1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9];
        for (int power = low; power <= high; power++)
        {
            for (int digit = 1; digit <= 9; digit++)
            {
                double v = digit * Math.Pow(10, power);
                if (v >= min / 1.5 && v <= max * 1.5)
                {
                    ticks.Add(Tick.Minor(Math.Log10(v)));
                }
            }

            foreach (double m in majors)
            {
                double v = m * Math.Pow(10, power);
                if (v >= min / 1.5 && v <= max * 1.5)
                {
                    ticks.Add(Tick.Major(Math.Log10(v), Label(v)));
                }
            }
        }

        return ticks;
    }

    /// <summary>0.05, 20, 15,000; 1e6 and 2.5e6 from a million up; 1e-4 below a thousandth.</summary>
    public static string Label(double v)
    {
        if (v >= 1e6 || v < 1e-3)
        {
            int e = (int)Math.Floor(Math.Log10(v) + 1e-9);
            return string.Create(CultureInfo.InvariantCulture, $"{v / Math.Pow(10, e):0.#}e{e}");
        }

        return v.ToString(v >= 1000 ? "#,0" : "0.###", CultureInfo.InvariantCulture);
    }
}
