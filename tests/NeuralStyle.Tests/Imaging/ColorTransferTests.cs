using CsCheck;
using NeuralStyle.Imaging;
using Xunit;

namespace NeuralStyle.Tests.Imaging;

public sealed class ColorTransferTests
{
    private static readonly ColorTransferMethod[] Methods = [ColorTransferMethod.Cholesky, ColorTransferMethod.SymmetricSqrt];

    [Theory]
    [InlineData(ColorTransferMethod.Cholesky)]
    [InlineData(ColorTransferMethod.SymmetricSqrt)]
    public void OutputMeanAndCovarianceEqualTheContents(ColorTransferMethod method)
    {
        Gen.Select(ColorTestImages.Correlated, ColorTestImages.Correlated).Sample((style, content) =>
        {
            AssertWellConditioned(style);

            var result = ColorTransfer.MatchStyleToContent(style, content, method);

            Assert.Equal((style.Width, style.Height), (result.Width, result.Height));
            AssertSameStatistics(ColorTransfer.Statistics(content), ColorTransfer.Statistics(result), 1e-6);
        });
    }

    [Fact]
    public void BothMapsSatisfyTheCovarianceEquation()
    {
        Gen.Select(ColorTestImages.Correlated, ColorTestImages.Correlated).Sample((style, content) =>
        {
            var (_, sigmaS) = ColorTransfer.Statistics(style);
            var (_, sigmaC) = ColorTransfer.Statistics(content);
            foreach (var method in Methods)
            {
                var a = ColorTransfer.TransferMatrix(sigmaS, sigmaC, method);
                AssertClose(sigmaC, a * sigmaS * a.Transpose(), 1e-10);
            }
        });
    }

    [Fact]
    public void CholeskyMapTakesTheStyleFactorToTheContentFactor()
    {
        Gen.Select(ColorTestImages.Correlated, ColorTestImages.Correlated).Sample((style, content) =>
        {
            var (_, sigmaS) = ColorTransfer.Statistics(style);
            var (_, sigmaC) = ColorTransfer.Statistics(content);

            var a = ColorTransfer.TransferMatrix(sigmaS, sigmaC, ColorTransferMethod.Cholesky);

            // A = L_c L_s⁻¹ is a product of lower-triangular matrices, so it is lower-triangular itself.
            AssertClose(sigmaC.Cholesky(), a * sigmaS.Cholesky(), 1e-10);
            Assert.Equal(0.0, a[0, 1]);
            Assert.Equal(0.0, a[0, 2]);
            Assert.Equal(0.0, a[1, 2]);
        });
    }

    [Fact]
    public void SymmetricSqrtMapTakesTheStyleRootToTheContentRoot()
    {
        Gen.Select(ColorTestImages.Correlated, ColorTestImages.Correlated).Sample((style, content) =>
        {
            var (_, sigmaS) = ColorTransfer.Statistics(style);
            var (_, sigmaC) = ColorTransfer.Statistics(content);
            var rootS = ColorTransferMatrixTests.SymmetricRoot(sigmaS);
            var rootC = ColorTransferMatrixTests.SymmetricRoot(sigmaC);

            var a = ColorTransfer.TransferMatrix(sigmaS, sigmaC, ColorTransferMethod.SymmetricSqrt);

            AssertClose(rootC, a * rootS, 1e-10);
        });
    }

    [Fact]
    public void MethodsGiveDifferentImagesWithIdenticalStatistics()
    {
        Gen.Select(ColorTestImages.Correlated, ColorTestImages.Correlated).Sample((style, content) =>
        {
            var cholesky = ColorTransfer.MatchStyleToContent(style, content, ColorTransferMethod.Cholesky);
            var symmetric = ColorTransfer.MatchStyleToContent(style, content, ColorTransferMethod.SymmetricSqrt);

            // Correlated random covariances are never simultaneously diagonal, so the maps differ by a rotation
            // that moves pixels visibly while leaving the mean and covariance alone.
            var maxDifference = cholesky.Pixels.Zip(symmetric.Pixels, (x, y) => Math.Abs(x - y)).Max();
            Assert.True(maxDifference > 0.05, $"max difference {maxDifference}");
            AssertSameStatistics(ColorTransfer.Statistics(cholesky), ColorTransfer.Statistics(symmetric), 1e-6);
        });
    }

    [Fact]
    public void MethodsDifferByManyLevelsForStronglyCorrelatedColours()
    {
        // Style: G follows R closely; content: B runs against R. The Cholesky map rotates the cloud differently
        // from the symmetric one by a large angle here.
        var style = Deterministic((t, u, v) => (100 + (50 * t), 100 + (45 * t) + (10 * u), 100 + (20 * v)));
        var content = Deterministic((t, u, v) => (120 + (40 * u), 90 + (30 * t) + (5 * v), 150 - (35 * u) + (10 * t)));
        AssertWellConditioned(style);

        var cholesky = ColorTransfer.MatchStyleToContent(style, content, ColorTransferMethod.Cholesky);
        var symmetric = ColorTransfer.MatchStyleToContent(style, content, ColorTransferMethod.SymmetricSqrt);

        var maxDifference = cholesky.Pixels.Zip(symmetric.Pixels, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(maxDifference > 10, $"max difference {maxDifference}");
        AssertSameStatistics(ColorTransfer.Statistics(content), ColorTransfer.Statistics(cholesky), 1e-6);
        AssertSameStatistics(ColorTransfer.Statistics(content), ColorTransfer.Statistics(symmetric), 1e-6);
    }

    [Theory]
    [InlineData(ColorTransferMethod.Cholesky)]
    [InlineData(ColorTransferMethod.SymmetricSqrt)]
    public void MatchingAnImageToItselfReturnsIt(ColorTransferMethod method)
    {
        ColorTestImages.Correlated.Sample(image =>
        {
            var result = ColorTransfer.MatchStyleToContent(image, image, method);

            var maxDifference = result.Pixels.Zip(image.Pixels, (x, y) => Math.Abs(x - y)).Max();
            Assert.True(maxDifference <= 1e-4, $"max difference {maxDifference}");
        });
    }

    [Theory]
    [InlineData(ColorTransferMethod.Cholesky)]
    [InlineData(ColorTransferMethod.SymmetricSqrt)]
    public void GreyStyleIsRegularisedAndTakesTheContentMean(ColorTransferMethod method)
    {
        Gen.Select(ColorTestImages.Grey, ColorTestImages.Correlated).Sample((style, content) =>
        {
            var result = ColorTransfer.MatchStyleToContent(style, content, method);

            Assert.All(result.Pixels, v => Assert.True(float.IsFinite(v)));
            var (contentMean, _) = ColorTransfer.Statistics(content);
            var (resultMean, resultCovariance) = ColorTransfer.Statistics(result);
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(contentMean[c], resultMean[c], 1e-6 * contentMean.Max(Math.Abs));
            }

            // The style's one direction of variance is kept (not flattened away by the ridge).
            Assert.True(resultCovariance.Trace > 1, $"trace {resultCovariance.Trace}");
        });
    }

    [Theory]
    [InlineData(ColorTransferMethod.Cholesky)]
    [InlineData(ColorTransferMethod.SymmetricSqrt)]
    public void FlatStyleBecomesTheContentMean(ColorTransferMethod method)
    {
        var style = new RgbImage(3, 2, [.. Enumerable.Repeat(new[] { 10f, 200f, 77f }, 6).SelectMany(p => p)]);
        ColorTestImages.Correlated.Sample(
            content =>
            {
                var result = ColorTransfer.MatchStyleToContent(style, content, method);

                var (mean, _) = ColorTransfer.Statistics(content);
                for (var i = 0; i < result.Pixels.Length; i++)
                {
                    Assert.Equal(mean[i % 3], result.Pixels[i], 1e-3);
                }
            },
            iter: 20);
    }

    [Theory]
    [InlineData(ColorTransferMethod.Cholesky)]
    [InlineData(ColorTransferMethod.SymmetricSqrt)]
    public void GreyContentGivesAGreyResult(ColorTransferMethod method)
    {
        // Σ_c is rank 1 here: the Cholesky factor and square root must exist without a ridge, and A maps every
        // style colour onto the grey axis.
        Gen.Select(ColorTestImages.Correlated, ColorTestImages.Grey).Sample((style, content) =>
        {
            var result = ColorTransfer.MatchStyleToContent(style, content, method);

            var p = result.Pixels;
            for (var i = 0; i < p.Length; i += 3)
            {
                Assert.True(Math.Abs(p[i] - p[i + 1]) < 1e-3 && Math.Abs(p[i] - p[i + 2]) < 1e-3, $"{p[i]} {p[i + 1]} {p[i + 2]}");
            }

            AssertSameStatistics(ColorTransfer.Statistics(content), ColorTransfer.Statistics(result), 1e-6);
        });
    }

    [Theory]
    [InlineData(ColorTransferMethod.Cholesky)]
    [InlineData(ColorTransferMethod.SymmetricSqrt)]
    public void TwoColoursDifferingInRedMapByHand(ColorTransferMethod method)
    {
        // Style (50,100,100) and (150,100,100): μ_s = (100,100,100), Σ_s = diag(2500, 0, 0); G and B have no
        // variance and get the ridge floor ε = 1e-3·2500/3 + 1e-6, which does not touch R.
        // Content (20,60,200) and (40,60,200): μ_c = (30,60,200), Σ_c = diag(100, 0, 0).
        // Both methods give A = diag(10/50, 0, 0), so R' = (R - 100)·0.2 + 30 and G, B become the content's:
        // 50 → -10 + 30 = 20 and 150 → 10 + 30 = 40, i.e. exactly the content's two colours.
        var style = new RgbImage(2, 1, [50, 100, 100, 150, 100, 100]);
        var content = new RgbImage(2, 1, [20, 60, 200, 40, 60, 200]);

        var result = ColorTransfer.MatchStyleToContent(style, content, method);

        AssertPixels([20, 60, 200, 40, 60, 200], result, 1e-4);
    }

    [Theory]
    [InlineData(ColorTransferMethod.Cholesky)]
    [InlineData(ColorTransferMethod.SymmetricSqrt)]
    public void UncorrelatedChannelsMapPerChannelByHand(ColorTransferMethod method)
    {
        // Four pixels μ ± σ with the sign patterns (+++), (+--), (-+-), (--+): the sign columns are orthogonal,
        // so the covariance is exactly diag(σ²) and both methods reduce to (x - μ_s)·σ_c/σ_s + μ_c, which sends
        // each style pixel to μ_c ± σ_c with the same signs.
        // Style: μ_s = (100,120,80), σ_s = (20,10,40).
        // Content uses the other orthogonal half, (++-), (+-+), (-++), (---): μ_c = (60,150,200), σ_c = (30,5,10).
        // E.g. (120,130,120) → ((20)·30/20 + 60, (10)·5/10 + 150, (40)·10/40 + 200) = (90,155,210), a colour
        // that is not in the content image.
        var style = new RgbImage(2, 2, [120, 130, 120, 120, 110, 40, 80, 130, 40, 80, 110, 120]);
        var content = new RgbImage(4, 1, [90, 155, 190, 90, 145, 210, 30, 155, 210, 30, 145, 190]);

        var result = ColorTransfer.MatchStyleToContent(style, content, method);

        AssertPixels([90, 155, 210, 90, 145, 190, 30, 155, 190, 30, 145, 210], result, 1e-4);
    }

    [Fact]
    public void ClippingIsOptional()
    {
        // Content spread 0..255 with a style that is more extreme in the tails pushes values outside 0..255.
        var style = new RgbImage(4, 1, [0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255]);
        var content = new RgbImage(2, 1, [0, 10, 20, 255, 245, 235]);

        var raw = ColorTransfer.MatchStyleToContent(style, content, ColorTransferMethod.SymmetricSqrt);
        var clipped = ColorTransfer.MatchStyleToContent(style, content, ColorTransferMethod.SymmetricSqrt, clipToByteRange: true);

        Assert.Contains(raw.Pixels, v => v is < 0 or > 255);
        Assert.All(clipped.Pixels, v => Assert.InRange(v, 0f, 255f));
        Assert.Equal(raw.Pixels.Select(v => Math.Clamp(v, 0f, 255f)), clipped.Pixels);
    }

    [Fact]
    public void StatisticsAreThePopulationMeanAndCovariance()
    {
        // Pixels (0,0,0) and (2,4,-2): mean (1,2,-1), deviations ±(1,2,-1), covariance d dᵀ.
        var (mean, covariance) = ColorTransfer.Statistics(new RgbImage(2, 1, [0, 0, 0, 2, 4, -2]));

        Assert.Equal([1.0, 2.0, -1.0], mean);
        AssertClose(Matrix3.FromRows(1, 2, -1, 2, 4, -2, -1, -2, 1), covariance, 0);
    }

    /// <summary>An 8×8 image from three differently scrambled ramps t, u, v in [-1, 1].</summary>
    private static RgbImage Deterministic(Func<double, double, double, (double R, double G, double B)> colour)
    {
        var pixels = new float[64 * 3];
        for (var i = 0; i < 64; i++)
        {
            var (r, g, b) = colour(Ramp(i, 37), Ramp(i, 11), Ramp(i, 23));
            (pixels[3 * i], pixels[(3 * i) + 1], pixels[(3 * i) + 2]) = ((float)r, (float)g, (float)b);
        }

        return new RgbImage(8, 8, pixels);

        static double Ramp(int i, int stride) => (((i * stride) % 64) / 31.5) - 1;
    }

    private static void AssertWellConditioned(RgbImage image)
    {
        // The exact-statistics property only holds where the ridge does not apply: make sure the generator agrees.
        var (_, covariance) = ColorTransfer.Statistics(image);
        var (values, _) = covariance.SymmetricEigen();
        Assert.True(values.Min() > 10 * ColorTransfer.RidgeFloor(covariance), string.Join(", ", values));
    }

    private static void AssertSameStatistics(
        (double[] Mean, Matrix3 Covariance) expected, (double[] Mean, Matrix3 Covariance) actual, double relative)
    {
        var meanScale = expected.Mean.Max(Math.Abs);
        for (var c = 0; c < 3; c++)
        {
            Assert.True(
                Math.Abs(expected.Mean[c] - actual.Mean[c]) <= relative * meanScale,
                $"mean[{c}]: expected {expected.Mean[c]}, got {actual.Mean[c]}");
        }

        AssertClose(expected.Covariance, actual.Covariance, relative);
    }

    /// <summary>Element-wise closeness relative to the expected matrix's largest element.</summary>
    internal static void AssertClose(Matrix3 expected, Matrix3 actual, double relative)
    {
        var error = (expected - actual).MaxAbs();
        Assert.True(error <= relative * expected.MaxAbs(), $"max error {error:G4}, scale {expected.MaxAbs():G4}");
    }

    private static void AssertPixels(float[] expected, RgbImage actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Pixels.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual.Pixels[i], tolerance);
        }
    }
}

/// <summary>Random test images for the colour and luminance transfer tests.</summary>
internal static class ColorTestImages
{
    /// <summary>
    /// 8..24 pixel sides; pixel = μ + 40 (I + E) u with u uniform in [-1, 1]³ and |E_ij| ≤ 0.25, so the channels are
    /// correlated but the covariance stays well-conditioned (‖E‖₂ ≤ 0.75).
    /// </summary>
    public static Gen<RgbImage> Correlated { get; } =
        Gen.Select(Gen.Int[8, 24], Gen.Int[8, 24]).SelectMany((w, h) => Gen.Select(
            Gen.Float[-1f, 1f].Array[w * h * 3],
            Gen.Double[-0.25, 0.25].Array[9],
            Gen.Double[30, 220].Array[3],
            (u, e, mu) =>
            {
                var pixels = new float[u.Length];
                for (var i = 0; i < u.Length; i += 3)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        var mixed = u[i + c] + (e[3 * c] * u[i]) + (e[(3 * c) + 1] * u[i + 1]) + (e[(3 * c) + 2] * u[i + 2]);
                        pixels[i + c] = (float)(mu[c] + (40 * mixed));
                    }
                }

                return new RgbImage(w, h, pixels);
            }));

    /// <summary>Grey images (R = G = B), 4..16 pixel sides, values 0..255.</summary>
    public static Gen<RgbImage> Grey { get; } =
        Gen.Select(Gen.Int[4, 16], Gen.Int[4, 16]).SelectMany((w, h) =>
            Gen.Float[0f, 255f].Array[w * h].Select(v => new RgbImage(w, h, [.. v.SelectMany(y => new[] { y, y, y })])));
}
