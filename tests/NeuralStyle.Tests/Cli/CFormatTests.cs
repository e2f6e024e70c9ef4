using NeuralStyle.Cli;
using Xunit;

namespace NeuralStyle.Tests.Cli;

public class CFormatTests
{
    // Expected strings are what glibc's printf("%g") prints for these values.
    [Theory]
    [InlineData(908786.0, "908786")]
    [InlineData(1196210.0, "1.19621e+06")]
    [InlineData(25639.9, "25639.9")]
    [InlineData(261789.0, "261789")]
    [InlineData(999999.5, "1e+06")]
    [InlineData(123456.7, "123457")]
    [InlineData(100000.0, "100000")]
    [InlineData(1e6, "1e+06")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001234, "1.234e-05")]
    [InlineData(1.5, "1.5")]
    [InlineData(-2.0, "-2")]
    [InlineData(0.0, "0")]
    [InlineData(3.14159265, "3.14159")]
    [InlineData(1.23456789e-300, "1.23457e-300")]
    [InlineData(6.02214076e23, "6.02214e+23")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NaN, "nan")]
    public void MatchesGlibcPercentG(double value, string expected) => Assert.Equal(expected, CFormat.G(value));
}
