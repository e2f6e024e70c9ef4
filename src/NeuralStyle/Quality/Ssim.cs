namespace NeuralStyle.Quality;

/// <summary>
/// Mean structural similarity (Wang et al. 2004) as scikit-image 0.19's
/// <c>structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255)</c>:
/// Gaussian-weighted local means, variances and covariance (sigma 1.5, truncated at 3.5 sigma: an 11-tap window;
/// borders mirrored as scipy's <c>mode='reflect'</c>, d c b a | a b c d), K1 = 0.01, K2 = 0.03, averaged over the
/// pixels at least 5 from every border.
/// </summary>
public static class Ssim
{
    /// <summary>The window's side (2 * round(3.5 * 1.5) + 1).</summary>
    public const int WindowSize = (2 * Radius) + 1;

    private const int Radius = 5;
    private const double Sigma = 1.5;
    private const double DataRange = 255;
    private const double C1 = 0.01 * DataRange * (0.01 * DataRange);
    private const double C2 = 0.03 * DataRange * (0.03 * DataRange);

    private static readonly double[] Kernel = MakeKernel();

    /// <summary>The mean SSIM of two planes of the same size, each side at least <see cref="WindowSize"/>.</summary>
    public static double Mean(GreyPlane a, GreyPlane b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Width != b.Width || a.Height != b.Height)
        {
            throw new ArgumentException($"SSIM compares planes of one size, got {a.Width}x{a.Height} and {b.Width}x{b.Height}.", nameof(b));
        }

        if (a.Width < WindowSize || a.Height < WindowSize)
        {
            throw new ArgumentException($"SSIM needs at least {WindowSize}x{WindowSize} pixels, got {a.Width}x{a.Height}.", nameof(a));
        }

        int w = a.Width, h = a.Height, n = w * h;
        double[] x = a.Values, y = b.Values;
        var xx = new double[n];
        var yy = new double[n];
        var xy = new double[n];
        for (int i = 0; i < n; i++)
        {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }

        double[] ux = Blur(x, w, h), uy = Blur(y, w, h), uxx = Blur(xx, w, h), uyy = Blur(yy, w, h), uxy = Blur(xy, w, h);
        double sum = 0;
        for (int r = Radius; r < h - Radius; r++)
        {
            for (int c = Radius; c < w - Radius; c++)
            {
                int i = (r * w) + c;
                double vx = uxx[i] - (ux[i] * ux[i]);
                double vy = uyy[i] - (uy[i] * uy[i]);
                double vxy = uxy[i] - (ux[i] * uy[i]);
                double a1 = (2 * ux[i] * uy[i]) + C1, a2 = (2 * vxy) + C2;
                double b1 = (ux[i] * ux[i]) + (uy[i] * uy[i]) + C1, b2 = vx + vy + C2;
                sum += a1 * a2 / (b1 * b2);
            }
        }

        return sum / ((double)(w - (2 * Radius)) * (h - (2 * Radius)));
    }

    private static double[] MakeKernel()
    {
        var kernel = new double[WindowSize];
        for (int i = -Radius; i <= Radius; i++)
        {
            kernel[i + Radius] = Math.Exp(-0.5 / (Sigma * Sigma) * i * i);
        }

        double total = kernel.Sum();
        return [.. kernel.Select(k => k / total)];
    }

    // Separable Gaussian, down the columns then along the rows (scipy's axis order), mirrored at the borders.
    private static double[] Blur(double[] values, int w, int h)
    {
        var vertical = new double[values.Length];
        for (int r = 0; r < h; r++)
        {
            for (int c = 0; c < w; c++)
            {
                double s = 0;
                for (int k = -Radius; k <= Radius; k++)
                {
                    s += Kernel[k + Radius] * values[(Mirror(r + k, h) * w) + c];
                }

                vertical[(r * w) + c] = s;
            }
        }

        var result = new double[values.Length];
        for (int r = 0; r < h; r++)
        {
            for (int c = 0; c < w; c++)
            {
                double s = 0;
                for (int k = -Radius; k <= Radius; k++)
                {
                    s += Kernel[k + Radius] * vertical[(r * w) + Mirror(c + k, w)];
                }

                result[(r * w) + c] = s;
            }
        }

        return result;
    }

    private static int Mirror(int i, int n) => i < 0 ? -i - 1 : i >= n ? (2 * n) - i - 1 : i;
}
