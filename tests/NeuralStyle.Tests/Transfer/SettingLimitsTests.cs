using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Transfer;

/// <summary>The library's own ranges: NaN and infinities nowhere, weights and step sizes finite and non-zero in float32.</summary>
public class SettingLimitsTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-30)]
    [InlineData(5.0)]
    [InlineData(3.4e38)]
    public void A_weight_from_zero_to_floats_largest_is_accepted(double value) =>
        Assert.Null(SettingLimits.Weight("w", value));

    [Theory]
    [InlineData(-1.0, "w must not be negative (got -1)")]
    [InlineData(double.NaN, "w must be a finite number (got NaN)")]
    [InlineData(double.PositiveInfinity, "w must be a finite number (got Infinity)")]
    [InlineData(3.5e38, "w 3.5e+38 is too large: the engine computes in 32-bit floats, where it is infinite (the largest is 3.4e38)")]
    [InlineData(1e300, "w 1e+300 is too large: the engine computes in 32-bit floats, where it is infinite (the largest is 3.4e38)")]
    public void A_weight_out_of_range_is_refused_with_its_value(double value, string reason) =>
        Assert.Equal(reason, SettingLimits.Weight("w", value));

    [Fact]
    public void A_positive_value_must_stay_positive_in_float32()
    {
        Assert.Null(SettingLimits.PositiveFloat32("eps", 1e-8));
        Assert.Null(SettingLimits.PositiveFloat32("eps", 1e-45));
        Assert.Equal("eps must be positive (got 0)", SettingLimits.PositiveFloat32("eps", 0));
        Assert.Equal("eps 1e-50 is too small: the engine computes in 32-bit floats, where it is 0 (the smallest is 1.4e-45)", SettingLimits.PositiveFloat32("eps", 1e-50));
        // A float64 value has no float32 bound.
        Assert.Null(SettingLimits.Positive("scale", 1e-50));
    }

    [Theory]
    [InlineData(0.0, false, false, true)]
    [InlineData(1.0, false, false, true)]
    [InlineData(1.0, false, true, false)]
    [InlineData(0.0, true, false, false)]
    [InlineData(0.5, true, true, true)]
    [InlineData(double.NaN, false, false, false)]
    [InlineData(-0.1, false, false, false)]
    public void A_fraction_respects_which_ends_are_open(double value, bool openAtZero, bool openAtOne, bool accepted) =>
        Assert.Equal(accepted, SettingLimits.Fraction("f", value, openAtZero, openAtOne) is null);

    [Fact]
    public void A_fraction_names_its_interval() =>
        Assert.Equal("decay must be within (0, 1) (got 1)", SettingLimits.Fraction("decay", 1, openAtZero: true, openAtOne: true));
}
