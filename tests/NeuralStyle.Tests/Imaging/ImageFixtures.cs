using System.Buffers.Binary;
using System.Text;
using NeuralStyle.Imaging;
using Xunit;

namespace NeuralStyle.Tests.Imaging;

/// <summary>Access to the files made by tests/fixture-scripts/make_image_fixtures.py.</summary>
internal static class ImageFixtures
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "images");

    public static string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Reads a binary PPM (P6, maxval 255) as written by the fixture script.</summary>
    public static RgbImage ReadPpm(string name)
    {
        var data = File.ReadAllBytes(PathOf(name));
        var position = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)data[position]))
            {
                position++;
            }

            var start = position;
            while (!char.IsWhiteSpace((char)data[position]))
            {
                position++;
            }

            return Encoding.ASCII.GetString(data, start, position - start);
        }

        Assert.Equal("P6", Token());
        var width = int.Parse(Token());
        var height = int.Parse(Token());
        Assert.Equal("255", Token());
        position++; // the single whitespace byte before the raster
        return RgbImage.FromBytes(width, height, data.AsSpan(position));
    }

    /// <summary>Reads the script's float container: int32 width, int32 height, then HWC float32, little endian.</summary>
    public static RgbImage ReadFloatBin(string name)
    {
        var data = File.ReadAllBytes(PathOf(name));
        var width = BinaryPrimitives.ReadInt32LittleEndian(data);
        var height = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4));
        var pixels = new float[width * height * 3];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(8 + (4 * i)));
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>Per-value absolute differences between two same-sized images.</summary>
    public static ErrorStats Compare(RgbImage actual, RgbImage expected, bool roundActual = false)
    {
        Assert.Equal(expected.Width, actual.Width);
        Assert.Equal(expected.Height, actual.Height);
        double max = 0, sum = 0;
        var a = actual.Pixels;
        var e = expected.Pixels;
        var histogram = new int[4];
        for (var i = 0; i < a.Length; i++)
        {
            var value = roundActual ? RgbImage.ClipToByte(a[i]) : a[i];
            var d = Math.Abs(value - e[i]);
            max = Math.Max(max, d);
            sum += d;
            histogram[Math.Min((int)Math.Ceiling(d), 3)]++;
        }

        return new ErrorStats(max, sum / a.Length, histogram, a.Length);
    }
}
