using NeuralStyle.Jobs;

namespace NeuralStyle.Tests.Plotting;

/// <summary>Made-up loss histories of the shape a run gives: each term falling (tv rising) within a scale, jumping at a new scale.</summary>
internal static class LossSeries
{
    /// <summary><paramref name="iterations"/> points per scale, 0.05 s apart, with the content term from <paramref name="content"/>.</summary>
    public static List<LossPoint> Scales(int[] iterations, Func<int, int, double>? content = null, double tv = 300)
    {
        var points = new List<LossPoint>();
        double seconds = 0;
        for (int s = 0; s < iterations.Length; s++)
        {
            for (int i = 1; i <= iterations[s]; i++)
            {
                seconds += 0.05 * (s + 1);
                double c = content?.Invoke(s + 1, i) ?? 30000 * (s + 1) * (0.2 + (0.8 * Math.Exp(-i / 30.0)));
                double style = 8000 * (s + 1) * (0.4 + (0.6 * Math.Exp(-i / 20.0)));
                double t = tv * (s + 1) * (2 - Math.Exp(-i / 50.0));
                points.Add(new LossPoint(s + 1, i, seconds, c, style, t, c + style + t));
            }
        }

        return points;
    }
}
