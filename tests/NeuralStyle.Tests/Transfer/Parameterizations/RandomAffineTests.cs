using NeuralStyle.Transfer.Robustness;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer.Parameterizations;

/// <summary>Transformation robustness: the draws (seeded, in range) and the resampling (against closed forms).</summary>
public class RandomAffineTests
{
    private static readonly TransformRobustness Some = new(JitterPixels: 4, ScaleMin: 0.9, ScaleMax: 1.1, RotationDegrees: 5);

    [Fact]
    public void No_robustness_draws_nothing() => Assert.Null(RandomAffine.Draw(TransformRobustness.None, 1, 1, 10, 10));

    [Fact]
    public void Draws_depend_on_the_seed_and_the_iteration_only_and_stay_in_range()
    {
        var draws = Enumerable.Range(1, 300).Select(i => RandomAffine.Draw(Some, 42, i, 64, 64)!).ToList();
        var again = Enumerable.Range(1, 300).Select(i => RandomAffine.Draw(Some, 42, i, 64, 64)!).ToList();
        Assert.Equal(draws.Select(d => (d.ShiftX, d.ShiftY, d.Scale, d.Degrees)), again.Select(d => (d.ShiftX, d.ShiftY, d.Scale, d.Degrees)));
        Assert.NotEqual(draws[0].ShiftX, RandomAffine.Draw(Some, 43, 1, 64, 64)!.ShiftX);
        Assert.Equal(300, draws.Select(d => d.ShiftX).Distinct().Count());
        Assert.All(draws, d =>
        {
            Assert.InRange(d.ShiftX, -4, 4);
            Assert.InRange(d.ShiftY, -4, 4);
            Assert.InRange(d.Scale, 0.9, 1.1);
            Assert.InRange(d.Degrees, -5, 5);
        });

        // Spread over the range, both directions.
        Assert.True(draws.Min(d => d.ShiftX) < -3 && draws.Max(d => d.ShiftX) > 3);
        Assert.True(draws.Min(d => d.Degrees) < -4 && draws.Max(d => d.Degrees) > 4);
    }

    [Fact]
    public void A_whole_pixel_shift_moves_the_image()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        Tensor image = randn([2, 3, 8, 10], generator: generator);
        Tensor moved = RandomAffine.Of(2, -1, 1, 0, 8, 10).Apply(image);
        // Content moves 2 right and 1 up: out[y, x] = in[y + 1, x - 2] where that is inside.
        Tensor expected = image.narrow(2, 1, 7).narrow(3, 0, 8);
        Tensor actual = moved.narrow(2, 0, 7).narrow(3, 2, 8);
        Assert.True((actual - expected).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void Scaling_enlarges_about_the_centre_on_a_wide_image()
    {
        // A horizontal ramp in[y, x] = x on a 6 x 10 image, scaled by 2: out[y, x] = in at (x - 4.5) / 2 + 4.5.
        using var scope = NewDisposeScope();
        Tensor ramp = arange(10, ScalarType.Float32).reshape(1, 1, 1, 10).expand(1, 1, 6, 10).contiguous();
        float[] row = RandomAffine.Of(0, 0, 2, 0, 6, 10).Apply(ramp)[0, 0, 3].data<float>().ToArray();
        for (int x = 0; x < 10; x++)
        {
            Assert.Equal(((x - 4.5) / 2) + 4.5, row[x], 4);
        }
    }

    [Fact]
    public void A_quarter_turn_keeps_the_pixel_aspect_on_a_wide_image()
    {
        // in[y, x] = x on 6 x 10, turned 90 degrees about the centre (4.5, 2.5): out[y, x] = 7 - y where the source is inside.
        using var scope = NewDisposeScope();
        Tensor ramp = arange(10, ScalarType.Float32).reshape(1, 1, 1, 10).expand(1, 1, 6, 10).contiguous();
        Tensor turned = RandomAffine.Of(0, 0, 1, 90, 6, 10).Apply(ramp)[0, 0];
        for (int y = 0; y < 6; y++)
        {
            for (int x = 2; x <= 7; x++)
            {
                Assert.Equal(7 - y, turned[y, x].item<float>(), 3);
            }
        }
    }

    [Fact]
    public void Out_of_range_settings_are_refused_in_one_line_each()
    {
        Assert.Contains("jitter must not be negative (got -1)", new TransformRobustness(JitterPixels: -1).Problems());
        Assert.Contains("jitter must be a finite number (got NaN)", new TransformRobustness(JitterPixels: double.NaN).Problems());
        Assert.Single(new TransformRobustness(ScaleMin: 1.2, ScaleMax: 1.1).Problems());
        Assert.Single(new TransformRobustness(RotationDegrees: 90).Problems());
        Assert.Empty(Some.Problems());
    }
}
