using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Transfer;

/// <summary><see cref="StyleTransferSettings.Validate"/> refuses every value that would give NaN losses or a silent nonsense run.</summary>
public class SettingsRangeTests
{
    [Theory]
    [InlineData("content", "content weight must not be negative (got -5)")]
    [InlineData("style", "style weight 1e+300 is too large: the engine computes in 32-bit floats, where it is infinite (the largest is 3.4e38)")]
    [InlineData("tv", "TV weight must be a finite number (got NaN)")]
    [InlineData("rate", "learning rate must be a finite number (got NaN)")]
    [InlineData("negative rate", "learning rate must be positive (got -1)")]
    [InlineData("beta1", "beta1 must be within [0, 1) (got 1)")]
    [InlineData("beta2", "beta2 must be within [0, 1) (got NaN)")]
    [InlineData("epsilon", "epsilon must be positive (got 0)")]
    [InlineData("blend", "content weight blend must be within [0, 1] (got NaN)")]
    [InlineData("exponent", "style layer weight exponent must be positive (got -2)")]
    [InlineData("style blends", "style blend weight must be a finite number (got Infinity)")]
    [InlineData("zero blends", "style blend weights must have a positive sum")]
    [InlineData("noise", "initial noise blend must be within [0, 1] (got NaN)")]
    [InlineData("average", "the average's decay must be within (0, 1) (got NaN)")]
    [InlineData("layer", "weight of layer relu1_1 must be a finite number (got NaN)")]
    public void A_value_out_of_range_is_refused_with_a_reason(string field, string reason)
    {
        var valid = new StyleTransferSettings();
        StyleTransferSettings settings = field switch
        {
            "content" => valid with { ContentWeight = -5 },
            "style" => valid with { StyleWeight = 1e300 },
            "tv" => valid with { TvWeight = double.NaN },
            "rate" => valid with { LearningRate = double.NaN },
            "negative rate" => valid with { LearningRate = -1 },
            "beta1" => valid with { Beta1 = 1 },
            "beta2" => valid with { Beta2 = double.NaN },
            "epsilon" => valid with { Epsilon = 0 },
            "blend" => valid with { ContentWeightBlend = double.NaN },
            "exponent" => valid with { StyleLayerWeightExp = -2 },
            "style blends" => valid with { StyleBlendWeights = [1, double.PositiveInfinity] },
            "zero blends" => valid with { StyleBlendWeights = [0, 0] },
            "noise" => valid with { InitialNoiseBlend = double.NaN },
            "average" => valid with { AverageDecay = double.NaN },
            "layer" => valid with { StyleLayers = [new LayerWeight("relu1_1", double.NaN)] },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
        valid.Validate();
        Assert.Equal(reason, Assert.Throws<ArgumentException>(settings.Validate).Message);
    }

    [Fact]
    public void A_large_style_layer_exponent_still_gives_finite_weights_summing_to_the_layer_count()
    {
        // 1e100^4 overflows float64; computed relative to the largest power the weights are 0, 0, 0, 0, 5.
        var weights = new StyleTransferSettings { StyleLayerWeightExp = 1e100 }.StyleLayerWeights(BackboneDefaults.Vgg);
        Assert.All(weights, w => Assert.True(double.IsFinite(w.Weight), $"{w.Layer}: {w.Weight}"));
        Assert.Equal(5.0, weights.Sum(w => w.Weight), 12);
        Assert.Equal(5.0, weights[^1].Weight, 12);
    }
}
