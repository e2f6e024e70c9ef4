using NeuralStyle.Imaging;
using NeuralStyle.Quality;
using Xunit;

namespace NeuralStyle.Tests.Quality;

/// <summary>Each measure and its building blocks against scikit-image 0.19 / numpy / scipy on the committed fixture.</summary>
public class ReferenceAgreementTests
{
    public static TheoryData<int> LbpCases => QualityFixture.Indices("lbp");

    public static TheoryData<int> SsimCases => QualityFixture.Indices("ssim");

    public static TheoryData<int> MatchCases => QualityFixture.Indices("match");

    public static TheoryData<int> LaplacianCases => QualityFixture.Indices("laplacian");

    public static TheoryData<int> StructureCases => QualityFixture.Indices("structure");

    public static TheoryData<int> WassersteinCases => QualityFixture.Indices("wasserstein");

    public static TheoryData<int> ColourNoiseCases => QualityFixture.Indices("colour_noise");

    public static TheoryData<int> ColourDistanceCases => QualityFixture.Indices("colour_distance");

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
    public void Mean_and_median_absolute_laplacian_equal_numpy(int index)
    {
        var entry = QualityFixture.Entry("laplacian", index);
        GreyPlane plane = QualityFixture.Plane(entry.GetProperty("plane").GetString()!);

        Assert.Equal(entry.GetProperty("value").GetDouble(), ColorNoise.MeanAbsoluteLaplacian(plane), 9);
        Assert.Equal(entry.GetProperty("median").GetDouble(), ColorNoise.MedianAbsoluteLaplacian(plane), 9);
    }

    [Theory]
    [MemberData(nameof(ColourNoiseCases))]
    public void Colour_noise_of_an_image_equals_numpy(int index)
    {
        // numpy computes Cb and Cr in double, the C# side in float: agreement to 1e-4 of a grey level.
        var entry = QualityFixture.Entry("colour_noise", index);

        Assert.Equal(entry.GetProperty("value").GetDouble(), ColorNoise.Of(QualityFixture.Image(entry.GetProperty("image").GetString()!)), 4);
    }

    [Theory]
    [MemberData(nameof(StructureCases))]
    public void Structure_of_luminance_planes_equals_scikit_image_times_the_contrast_kept(int index)
    {
        var entry = QualityFixture.Entry("structure", index);
        GreyPlane result = QualityFixture.Plane(entry.GetProperty("result").GetString()!);
        GreyPlane content = QualityFixture.Plane(entry.GetProperty("content").GetString()!);

        Assert.Equal(entry.GetProperty("value").GetDouble(), StructureSimilarity.OfLuminances(result, content), 9);
    }

    [Theory]
    [MemberData(nameof(WassersteinCases))]
    public void Wasserstein_distance_equals_scipy(int index)
    {
        var entry = QualityFixture.Entry("wasserstein", index);

        double actual = ColorDistance.Wasserstein(QualityFixture.Doubles(entry.GetProperty("a")), QualityFixture.Doubles(entry.GetProperty("b")));
        Assert.Equal(entry.GetProperty("value").GetDouble(), actual, 12);
    }

    [Theory]
    [MemberData(nameof(ColourDistanceCases))]
    public void Colour_distance_of_two_images_equals_scipy(int index)
    {
        var entry = QualityFixture.Entry("colour_distance", index);
        RgbImage a = QualityFixture.Image(entry.GetProperty("a").GetString()!);
        RgbImage b = QualityFixture.Image(entry.GetProperty("b").GetString()!);

        Assert.Equal(entry.GetProperty("value").GetDouble(), ColorDistance.Between(a, b), 9);
    }
}
