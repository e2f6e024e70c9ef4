using System.Globalization;
using NeuralStyle.Imaging;
using NeuralStyle.Plotting;

namespace NeuralStyle.Tests.Plotting;

/// <summary>What a plot's PNG shows, read back with the library's own decoder: its size and how many pixels are near a colour.</summary>
internal sealed class PlotPixels
{
    private readonly RgbImage _image;

    public PlotPixels(byte[] png) => _image = ImageReader.Read(png, "plot.png");

    public int Width => _image.Width;

    public int Height => _image.Height;

    /// <summary>Pixels within <paramref name="tolerance"/> levels of <paramref name="hex"/> in every channel ("#RRGGBB").</summary>
    /// <remarks>Anti-aliased lines blend into the white background at their edges; their middles keep the colour.</remarks>
    public int Near(string hex, int tolerance = 10)
    {
        int r = int.Parse(hex[1..3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        int g = int.Parse(hex[3..5], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        int b = int.Parse(hex[5..7], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        float[] p = _image.Pixels;
        int count = 0;
        for (int i = 0; i < p.Length; i += 3)
        {
            if (Math.Abs(p[i] - r) <= tolerance && Math.Abs(p[i + 1] - g) <= tolerance && Math.Abs(p[i + 2] - b) <= tolerance)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Pixels of the term's colour.</summary>
    public int Of(string term) => Near(LossTerm.All.Single(t => t.Name == term).Color);
}
