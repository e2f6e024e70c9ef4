using System.Text.Json;
using NeuralStyle.Imaging;
using NeuralStyle.Quality;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Quality;

/// <summary>
/// The stride-grid measure: about 1 on noise and on a photo, well above 1 with a faint dot grid of its period and not
/// at other periods, the same wherever the grid starts, and numpy's values on Fixtures/quality/stride_grid.json
/// (tests/fixture-scripts/stride_grid_reference.py).
/// </summary>
public class StrideGridTests
{
    // 130 px: the interior (128) holds whole periods of 8 and 16, so every phase class has as many pixels.
    private const int Side = 130;

    public static TheoryData<int> FixtureCases
    {
        get
        {
            var data = new TheoryData<int>();
            for (int i = 0; i < Fixture.GetProperty("images").GetArrayLength(); i++)
            {
                data.Add(i);
            }

            return data;
        }
    }

    private static JsonElement Fixture { get; } =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "quality", "stride_grid.json"))).RootElement;

    [Fact]
    public void Seeded_noise_gives_about_one_at_every_period()
    {
        RgbImage noise = Grey(Noise(Side, seed: 1, amplitude: 40));

        foreach (int p in new[] { 7, 8, 9, 16 })
        {
            Assert.InRange(StrideGrid.Ratio(noise, p), 0.7, 1.4);
        }

        Assert.InRange(StrideGrid.Of(noise), 0.7, 1.4);
    }

    [Fact]
    public void Noise_averages_one_over_seeds()
    {
        // The ratio's numerator has p² − 1 degrees of freedom, so one picture's G_8 spreads by about 0.18: the mean of
        // 20 pictures (spread about 0.04, G_16 0.02) shows whether the normalisation is right, not just roughly right.
        double[] g8 = new double[20], g16 = new double[20];
        for (int s = 0; s < g8.Length; s++)
        {
            RgbImage noise = Grey(Noise(Side, seed: 100 + s, amplitude: 40));
            g8[s] = StrideGrid.Ratio(noise, 8);
            g16[s] = StrideGrid.Ratio(noise, 16);
        }

        Assert.InRange(g8.Average(), 0.88, 1.12);
        Assert.InRange(g16.Average(), 0.93, 1.07);
    }

    [Fact]
    public void A_faint_period_8_dot_grid_on_noise_raises_g8_and_not_g7_or_g9()
    {
        // Dots 12 grey levels high on every 64th pixel, under noise of ±20: the grid is fainter than the noise.
        double[] noise = Noise(Side, seed: 2, amplitude: 20);
        RgbImage atOrigin = Grey(WithDots(noise, Side, 8, 0, 0, 12));
        RgbImage shifted = Grey(WithDots(noise, Side, 8, 3, 5, 12));

        Assert.True(StrideGrid.Ratio(atOrigin, 8) > 3, $"G_8 with the grid at (0, 0): {StrideGrid.Ratio(atOrigin, 8)}");
        Assert.True(StrideGrid.Ratio(shifted, 8) > 3, $"G_8 with the grid at (3, 5): {StrideGrid.Ratio(shifted, 8)}");
        Assert.True(StrideGrid.Of(atOrigin) > 3);
        Assert.InRange(StrideGrid.Ratio(atOrigin, 7), 0.6, 1.6);
        Assert.InRange(StrideGrid.Ratio(atOrigin, 9), 0.6, 1.6);
    }

    [Fact]
    public void A_period_16_grid_raises_g16_and_the_measure()
    {
        // One pixel in 256 carries a dot and the ratio has 255 degrees of freedom, so at the same picture size a
        // period-16 grid must be about twice as high as a period-8 one for the same ratio (here 40 over noise of ±20).
        double[] noise = Noise(Side, seed: 3, amplitude: 20);
        RgbImage grid = Grey(WithDots(noise, Side, 16, 6, 11, 40));

        Assert.True(StrideGrid.Ratio(grid, 16) > 3, $"G_16: {StrideGrid.Ratio(grid, 16)}");
        Assert.Equal(Math.Max(StrideGrid.Ratio(grid, 8), StrideGrid.Ratio(grid, 16)), StrideGrid.Of(grid));
    }

    [Fact]
    public void The_same_grid_shifted_by_3_5_gives_the_same_g8()
    {
        // A patch of noise with a dot grid inside a flat frame, placed at two positions (3, 5) apart: the grid's phase
        // changes and the high-passed values are the same, only in other phase classes, so G_8 must be the same. (With
        // fresh noise under each grid the two would differ by the noise's chance alignment with the dots, about 10%.)
        double[] patch = WithDots(Noise(96, seed: 4, amplitude: 20), 96, 8, 0, 0, 20);
        RgbImage first = Grey(Framed(patch, 96, Side, 16, 16));
        RgbImage second = Grey(Framed(patch, 96, Side, 19, 21));

        double g = StrideGrid.Ratio(first, 8);
        Assert.True(g > 3, $"G_8 of the framed grid: {g}");
        Assert.Equal(g, StrideGrid.Ratio(second, 8), g * 1e-9);
    }

    [Fact]
    public void A_constant_image_gives_one()
    {
        var flat = new RgbImage(40, 36, [.. Enumerable.Repeat(137.3f, 40 * 36 * 3)]);

        Assert.Equal(1.0, StrideGrid.Of(flat));
        Assert.Equal(1.0, StrideGrid.Ratio(flat, 7));
    }

    [Fact]
    public void A_photo_scores_about_one_and_a_faint_grid_on_it_does_not()
    {
        RgbImage cat = ImageResizer.ResizeToWidth(ImageReader.Read(Fixtures.Example("chelsea.png")), 128);
        RgbImage dotted = cat.Clone();
        for (int y = 3; y < dotted.Height; y += 8)
        {
            for (int x = 5; x < dotted.Width; x += 8)
            {
                for (int c = 0; c < 3; c++)
                {
                    dotted[x, y, c] += 8;
                }
            }
        }

        Assert.InRange(StrideGrid.Of(cat), 0.5, 1.6);
        Assert.True(StrideGrid.Of(dotted) > 3, $"the cat with a grid: {StrideGrid.Of(dotted)}");
    }

    [Fact]
    public void Picture_quality_reports_the_grid_of_the_result()
    {
        RgbImage content = Grey(Noise(Side, seed: 5, amplitude: 40));
        RgbImage result = Grey(WithDots(Noise(Side, seed: 6, amplitude: 20), Side, 16, 0, 0, 40));

        PictureQuality q = PictureQuality.Measure(result, content, content);

        Assert.Equal(StrideGrid.Of(result), q.Grid);
        Assert.True(q.Grid > 3);
    }

    [Fact]
    public void Too_small_an_image_or_period_is_refused()
    {
        // Two periods of 16 need an interior of 32 pixels: 34x34 is the smallest image.
        StrideGrid.Of(Grey(Noise(34, seed: 7, amplitude: 40)));
        var narrow = new RgbImage(33, 60);
        var low = new RgbImage(60, 33);

        ArgumentException e = Assert.Throws<ArgumentException>(() => StrideGrid.Of(narrow));
        Assert.Contains("33x60", e.Message, StringComparison.Ordinal);
        Assert.Contains("34x34", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => StrideGrid.Of(low));
        Assert.Throws<ArgumentException>(() => StrideGrid.Ratio(new RgbImage(17, 17), 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => StrideGrid.Ratio(new RgbImage(60, 60), 2));
    }

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Ratios_equal_numpy(int index)
    {
        JsonElement entry = Fixture.GetProperty("images")[index];
        int width = entry.GetProperty("width").GetInt32(), height = entry.GetProperty("height").GetInt32();
        byte[] rgb = [.. entry.GetProperty("pixels").EnumerateArray().Select(v => v.GetByte())];
        RgbImage image = RgbImage.FromBytes(width, height, rgb);

        foreach (JsonProperty ratio in entry.GetProperty("ratios").EnumerateObject())
        {
            double expected = ratio.Value.GetDouble();
            double actual = StrideGrid.Ratio(image, int.Parse(ratio.Name, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(Math.Abs(actual - expected) <= 1e-9 * Math.Abs(expected), $"p = {ratio.Name}: {actual} against numpy's {expected}");
        }

        double measure = entry.GetProperty("measure").GetDouble();
        Assert.True(Math.Abs(StrideGrid.Of(image) - measure) <= 1e-9 * measure, $"measure {StrideGrid.Of(image)} against {measure}");
    }

    // A square plane of integer grey levels 128 ± amplitude, uniformly distributed.
    private static double[] Noise(int side, int seed, int amplitude)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, side * side).Select(_ => (double)(128 + random.Next(-amplitude, amplitude + 1)))];
    }

    private static double[] WithDots(double[] plane, int side, int period, int x0, int y0, double height)
    {
        double[] dotted = (double[])plane.Clone();
        for (int y = y0; y < side; y += period)
        {
            for (int x = x0; x < side; x += period)
            {
                dotted[(y * side) + x] += height;
            }
        }

        return dotted;
    }

    // The patch placed at (left, top) in a flat grey square of the given side.
    private static double[] Framed(double[] patch, int patchSide, int side, int left, int top)
    {
        double[] framed = [.. Enumerable.Repeat(128.0, side * side)];
        for (int y = 0; y < patchSide; y++)
        {
            for (int x = 0; x < patchSide; x++)
            {
                framed[((y + top) * side) + x + left] = patch[(y * patchSide) + x];
            }
        }

        return framed;
    }

    // A grey 8-bit picture (R = G = B) of a square plane, clipped to 0..255.
    private static RgbImage Grey(double[] plane)
    {
        int side = (int)Math.Round(Math.Sqrt(plane.Length));
        byte[] rgb = new byte[plane.Length * 3];
        for (int i = 0; i < plane.Length; i++)
        {
            rgb[(3 * i) + 0] = rgb[(3 * i) + 1] = rgb[(3 * i) + 2] = (byte)Math.Clamp(Math.Round(plane[i]), 0, 255);
        }

        return RgbImage.FromBytes(side, side, rgb);
    }
}
