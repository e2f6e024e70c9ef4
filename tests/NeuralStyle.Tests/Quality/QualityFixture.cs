using System.Text.Json;
using NeuralStyle.Imaging;
using NeuralStyle.Quality;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Quality;

/// <summary>The scikit-image reference values of Fixtures/quality/quality.json (tests/fixture-scripts/make_quality_fixtures.py).</summary>
internal static class QualityFixture
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "quality", "quality.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<JsonElement> Entries(string section) => Root.GetProperty(section).EnumerateArray();

    public static GreyPlane Plane(string name)
    {
        JsonElement p = Entries("planes").Single(e => e.GetProperty("name").GetString() == name);
        return new GreyPlane(p.GetProperty("width").GetInt32(), p.GetProperty("height").GetInt32(), Doubles(p.GetProperty("values")));
    }

    /// <summary>One of the float RGB images of the "images" section, by name.</summary>
    public static RgbImage Image(string name)
    {
        JsonElement e = Entries("images").Single(i => i.GetProperty("name").GetString() == name);
        return new RgbImage(e.GetProperty("width").GetInt32(), e.GetProperty("height").GetInt32(),
            [.. e.GetProperty("pixels").EnumerateArray().Select(v => (float)v.GetDouble())]);
    }

    public static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetDouble())];

    /// <summary>Theory data: the index of each entry of a section.</summary>
    public static TheoryData<int> Indices(string section)
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Root.GetProperty(section).GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    public static JsonElement Entry(string section, int index) => Root.GetProperty(section)[index];
}
