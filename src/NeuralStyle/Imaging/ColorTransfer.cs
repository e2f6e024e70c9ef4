namespace NeuralStyle.Imaging;

/// <summary>
/// Colour histogram matching from Gatys et al. 2016 ("Preserving Color in Neural Artistic Style Transfer"): the style
/// image is recoloured so that its RGB mean and covariance equal the content image's, before style transfer.
/// </summary>
public static class ColorTransfer
{
    /// <summary>
    /// A new style image x' = A (x - μ_s) + μ_c whose colour mean and covariance equal <paramref name="content"/>'s
    /// (A Σ_s Aᵀ = Σ_c, A chosen by <paramref name="method"/>). The result has the style image's size.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Statistics are population (divide by N) and computed in double. A near-singular Σ_s (a grey style image has
    /// rank 1, a flat one rank 0) cannot be inverted, so its eigenvalues are floored at
    /// ε = 1e-3 · tr(Σ_s) / 3 + 1e-6 before A is formed: a ridge applied only along the degenerate directions, so a
    /// well-conditioned Σ_s is used unchanged and the output statistics stay exact. The style has (almost) no
    /// variance along a floored direction, so nothing is amplified there and the output mean is still μ_c, but the
    /// covariance cannot reach Σ_c in that direction. A singular Σ_c (a grey content image) needs no
    /// regularisation: its square root and its Cholesky factor exist and the output stays grey.
    /// </para>
    /// <para>
    /// Values are not clipped by default because the transfer engine works on unclipped floats; pass
    /// <paramref name="clipToByteRange"/> to clip to 0..255 (e.g. before writing the recoloured style to 8 bits).
    /// </para>
    /// </remarks>
    public static RgbImage MatchStyleToContent(
        RgbImage style, RgbImage content, ColorTransferMethod method, bool clipToByteRange = false)
    {
        ArgumentNullException.ThrowIfNull(style);
        ArgumentNullException.ThrowIfNull(content);
        var (styleMean, styleCovariance) = Statistics(style);
        var (contentMean, contentCovariance) = Statistics(content);
        var a = TransferMatrix(styleCovariance, contentCovariance, method);

        var p = style.Pixels;
        var result = new float[p.Length];
        for (var i = 0; i < p.Length; i += 3)
        {
            var (r, g, b) = a.Transform(p[i] - styleMean[0], p[i + 1] - styleMean[1], p[i + 2] - styleMean[2]);
            result[i] = Output(r + contentMean[0], clipToByteRange);
            result[i + 1] = Output(g + contentMean[1], clipToByteRange);
            result[i + 2] = Output(b + contentMean[2], clipToByteRange);
        }

        return new RgbImage(style.Width, style.Height, result);
    }

    /// <summary>The per-channel mean and the 3×3 population covariance of an image's RGB values, in double.</summary>
    internal static (double[] Mean, Matrix3 Covariance) Statistics(RgbImage image)
    {
        var p = image.Pixels;
        var n = p.Length / 3;
        var mean = new double[3];
        for (var i = 0; i < p.Length; i += 3)
        {
            mean[0] += p[i];
            mean[1] += p[i + 1];
            mean[2] += p[i + 2];
        }

        for (var c = 0; c < 3; c++)
        {
            mean[c] /= n;
        }

        // Two passes (mean first, then centred products) so a large mean cannot cancel the variance away.
        double rr = 0, rg = 0, rb = 0, gg = 0, gb = 0, bb = 0;
        for (var i = 0; i < p.Length; i += 3)
        {
            var r = p[i] - mean[0];
            var g = p[i + 1] - mean[1];
            var b = p[i + 2] - mean[2];
            rr += r * r;
            rg += r * g;
            rb += r * b;
            gg += g * g;
            gb += g * b;
            bb += b * b;
        }

        return (mean, Matrix3.FromRows(rr / n, rg / n, rb / n, rg / n, gg / n, gb / n, rb / n, gb / n, bb / n));
    }

    /// <summary>The map A with A Σ_s Aᵀ = Σ_c (Σ_s regularised as described on <see cref="MatchStyleToContent"/>).</summary>
    internal static Matrix3 TransferMatrix(Matrix3 styleCovariance, Matrix3 contentCovariance, ColorTransferMethod method)
    {
        var (styleValues, styleVectors) = styleCovariance.SymmetricEigen();
        var floor = RidgeFloor(styleCovariance);
        var floored = styleValues.Any(v => v < floor);
        switch (method)
        {
            case ColorTransferMethod.Cholesky:
                {
                    // Rebuild Σ_s only when a floor applied, so a well-conditioned Σ_s is factored as measured.
                    var regularised = floored
                        ? Matrix3.FromEigen([.. styleValues.Select(v => Math.Max(v, floor))], styleVectors)
                        : styleCovariance;
                    return contentCovariance.Cholesky() * regularised.Cholesky().InverseLowerTriangular();
                }

            case ColorTransferMethod.SymmetricSqrt:
                {
                    var (contentValues, contentVectors) = contentCovariance.SymmetricEigen();
                    // Rounding can leave a PSD matrix with eigenvalues like -1e-13; their true value is 0.
                    var contentRoot = Matrix3.FromEigen([.. contentValues.Select(v => Math.Sqrt(Math.Max(v, 0)))], contentVectors);
                    var styleInverseRoot = Matrix3.FromEigen([.. styleValues.Select(v => 1 / Math.Sqrt(Math.Max(v, floor)))], styleVectors);
                    return contentRoot * styleInverseRoot;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown colour transfer method.");
        }
    }

    /// <summary>The smallest eigenvalue a style covariance may keep: 1e-3 · tr(Σ) / 3 + 1e-6.</summary>
    internal static double RidgeFloor(Matrix3 covariance) => (1e-3 * covariance.Trace / 3) + 1e-6;

    private static float Output(double value, bool clip) =>
        clip ? (float)Math.Clamp(value, 0.0, 255.0) : (float)value;
}
