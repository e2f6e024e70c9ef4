using NeuralStyle.Quality;
using Xunit;

namespace NeuralStyle.Tests.Quality;

/// <summary>Each measure's building block against scikit-image 0.19 / numpy on the committed fixture.</summary>
public class ReferenceAgreementTests
{
    public static TheoryData<int> LbpCases => QualityFixture.Indices("lbp");

    public static TheoryData<int> SsimCases => QualityFixture.Indices("ssim");

    public static TheoryData<int> MatchCases => QualityFixture.Indices("match");

    public static TheoryData<int> LaplacianCases => QualityFixture.Indices("laplacian");

    public static TheoryData<int> RgbCases => QualityFixture.Indices("rgb");

    [Theory]
    [MemberData(nameof(LbpCases))]
    public void Uniform_lbp_codes_and_histogram_equal_scikit_image(int index)
    {
        var entry = QualityFixture.Entry("lbp", index);
        GreyPlane plane = QualityFixture.Plane(entry.GetProperty("plane").GetString()!);
        double radius = entry.GetProperty("radius").GetDouble();

        int[] expected = [.. entry.GetProperty("codes").EnumerateArray().Select(c => c.GetInt32())];
        Assert.Equal(expected, LocalBinaryPattern.Codes8(plane, radius));
        double[] histogram = LocalBinaryPattern.Histogram(plane, radius);
        double[] expectedHistogram = QualityFixture.Doubles(entry.GetProperty("histogram"));
        for (int i = 0; i < expectedHistogram.Length; i++)
        {
            Assert.Equal(expectedHistogram[i], histogram[i], 12);
        }
    }

    [Theory]
    [MemberData(nameof(SsimCases))]
    public void Ssim_equals_scikit_image_with_gaussian_weights(int index)
    {
        var entry = QualityFixture.Entry("ssim", index);
        GreyPlane a = QualityFixture.Plane(entry.GetProperty("a").GetString()!);
        GreyPlane b = QualityFixture.Plane(entry.GetProperty("b").GetString()!);

        Assert.Equal(entry.GetProperty("value").GetDouble(), Ssim.Mean(a, b), 10);
    }

    [Theory]
    [MemberData(nameof(MatchCases))]
    public void Histogram_matching_equals_scikit_image(int index)
    {
        var entry = QualityFixture.Entry("match", index);
        GreyPlane source = QualityFixture.Plane(entry.GetProperty("source").GetString()!);
        GreyPlane reference = QualityFixture.Plane(entry.GetProperty("reference").GetString()!);

        double[] expected = QualityFixture.Doubles(entry.GetProperty("values"));
        double[] actual = HistogramMatching.Match(source, reference).Values;
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 9);
        }
    }

    [Theory]
    [MemberData(nameof(LaplacianCases))]
    public void Mean_absolute_laplacian_equals_numpy(int index)
    {
        var entry = QualityFixture.Entry("laplacian", index);
        GreyPlane plane = QualityFixture.Plane(entry.GetProperty("plane").GetString()!);

        Assert.Equal(entry.GetProperty("value").GetDouble(), ColorNoise.MeanAbsoluteLaplacian(plane), 9);
    }

    [Theory]
    [MemberData(nameof(RgbCases))]
    public void Color_signature_equals_numpy_histograms(int index)
    {
        var entry = QualityFixture.Entry("rgb", index);
        double[] expected = QualityFixture.Doubles(entry.GetProperty("color_signature"));

        double[] actual = ColorSignature.Of(QualityFixture.Rgb(entry));
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 12);
        }
    }
}
