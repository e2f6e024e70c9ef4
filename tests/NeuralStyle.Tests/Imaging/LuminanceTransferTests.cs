using CsCheck;
using NeuralStyle.Imaging;
using Xunit;

namespace NeuralStyle.Tests.Imaging;

public sealed class LuminanceTransferTests
{
    /// <summary>Any RGB image with 0..255 values, 4..16 pixel sides.</summary>
    private static readonly Gen<RgbImage> Colour =
        Gen.Select(Gen.Int[4, 16], Gen.Int[4, 16]).SelectMany((w, h) =>
            Gen.Float[0f, 255f].Array[w * h * 3].Select(p => new RgbImage(w, h, p)));

    [Fact]
    public void LuminanceIsTheLumaInAllThreeChannels()
    {
        Colour.Sample(image =>
        {
            var luma = LuminanceTransfer.Luminance(image);

            var p = image.Pixels;
            var ycbcr = ColorTransforms.ToYCbCr(image).Pixels;
            for (var i = 0; i < p.Length; i += 3)
            {
                Assert.Equal(ycbcr[i], luma.Pixels[i]);
                Assert.Equal(ycbcr[i], luma.Pixels[i + 1]);
                Assert.Equal(ycbcr[i], luma.Pixels[i + 2]);
            }
        });
    }

    [Fact]
    public void MatchedLuminanceHasTheContentsMeanAndDeviation()
    {
        Gen.Select(Colour, ColorTestImages.Correlated).Sample((style, content) =>
        {
            var contentLuma = LuminanceTransfer.Luminance(content);

            var matched = LuminanceTransfer.MatchLuminance(LuminanceTransfer.Luminance(style), contentLuma);

            Assert.Equal((style.Width, style.Height), (matched.Width, matched.Height));
            var (expectedMean, expectedVariance) = LuminanceTransfer.LumaStatistics(contentLuma);
            var (mean, variance) = LuminanceTransfer.LumaStatistics(matched);
            Assert.True(Math.Abs(mean - expectedMean) <= 1e-6 * expectedMean, $"mean {mean} vs {expectedMean}");
            Assert.True(
                Math.Abs(Math.Sqrt(variance) - Math.Sqrt(expectedVariance)) <= 1e-6 * Math.Sqrt(expectedVariance),
                $"std {Math.Sqrt(variance)} vs {Math.Sqrt(expectedVariance)}");
            var p = matched.Pixels;
            for (var i = 0; i < p.Length; i += 3)
            {
                Assert.True(p[i] == p[i + 1] && p[i] == p[i + 2], "the output stays grey");
            }
        });
    }

    [Fact]
    public void MatchLuminanceByHand()
    {
        // Style luma 10, 30, 20, 20: μ_s = 20, σ_s = √((100 + 100 + 0 + 0) / 4) = √50.
        // Content luma 100, 140, 120, 120: μ_c = 120, σ_c = √((400 + 400) / 4) = √200, so σ_c / σ_s = 2 and
        // L' = 2 (L - 20) + 120: 10 → 100, 30 → 140, 20 → 120.
        var style = Grey(10, 30, 20, 20);
        var content = Grey(100, 140, 120, 120);

        var matched = LuminanceTransfer.MatchLuminance(style, content);

        Assert.Equal(Grey(100, 140, 120, 120).Pixels, matched.Pixels.Select(v => MathF.Round(v, 3)));
    }

    [Fact]
    public void FlatStyleLuminanceBecomesTheContentMean()
    {
        var matched = LuminanceTransfer.MatchLuminance(Grey(42, 42, 42, 42), Grey(100, 140, 120, 120));

        Assert.All(matched.Pixels, v => Assert.Equal(120f, v, 1e-3f));
    }

    [Fact]
    public void RecombiningAnImagesOwnLuminanceGivesItBack()
    {
        Colour.Sample(content =>
        {
            var result = LuminanceTransfer.Recombine(LuminanceTransfer.Luminance(content), content);

            var maxError = result.Pixels.Zip(content.Pixels, (x, y) => Math.Abs(x - y)).Max();
            Assert.True(maxError <= 0.5, $"max error {maxError}");
        });
    }

    [Fact]
    public void RecombineTakesTheStylisedLumaAndTheContentsChroma()
    {
        // The stylised image need not be grey (a network's output is not): only its luma is used.
        Gen.Select(Colour, Gen.Int).Sample((content, seed) =>
        {
            var random = new Random(seed);
            var stylized = new RgbImage(
                content.Width, content.Height, [.. content.Pixels.Select(_ => (random.NextSingle() * 400f) - 70f)]);

            var result = LuminanceTransfer.Recombine(stylized, content);

            var expected = ColorTransforms.ToYCbCr(content).Pixels;
            var actual = ColorTransforms.ToYCbCr(result).Pixels;
            var s = stylized.Pixels;
            for (var i = 0; i < expected.Length; i += 3)
            {
                // Exact up to float rounding through FromYCbCr and ToYCbCr (JFIF's rounded coefficients).
                Assert.Equal(ColorTransforms.Luma(s[i], s[i + 1], s[i + 2]), actual[i], 2e-3f);
                Assert.Equal(expected[i + 1], actual[i + 1], 2e-3f);
                Assert.Equal(expected[i + 2], actual[i + 2], 2e-3f);
            }
        });
    }

    [Fact]
    public void RecombineDoesNotClip()
    {
        var result = LuminanceTransfer.Recombine(Grey(300, -20), new RgbImage(2, 1, [255, 0, 0, 0, 0, 255]));

        Assert.Contains(result.Pixels, v => v > 255);
        Assert.Contains(result.Pixels, v => v < 0);
    }

    [Fact]
    public void RecombineRejectsDifferentSizes()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => LuminanceTransfer.Recombine(new RgbImage(2, 3), new RgbImage(3, 2)));

        Assert.Contains("2x3", exception.Message);
    }

    /// <summary>A one-row grey image with the given values.</summary>
    private static RgbImage Grey(params float[] values) =>
        new(values.Length, 1, [.. values.SelectMany(v => new[] { v, v, v })]);
}
