using NeuralStyle.Imaging;

/// <summary>Pictures side by side, top-aligned on a grey background with a gap, as one image (no labels: the order is the table's).</summary>
internal static class ContactSheet
{
    private const int Gap = 4;
    private const float Background = 128f;

    public static RgbImage Compose(IReadOnlyList<RgbImage> panels)
    {
        int width = panels.Sum(p => p.Width) + (Gap * (panels.Count + 1));
        int height = panels.Max(p => p.Height) + (2 * Gap);
        var sheet = new RgbImage(width, height, Enumerable.Repeat(Background, width * height * 3).ToArray());
        int left = Gap;
        foreach (RgbImage panel in panels)
        {
            for (int y = 0; y < panel.Height; y++)
            {
                Array.Copy(panel.Pixels, y * panel.Width * 3, sheet.Pixels, (((y + Gap) * width) + left) * 3, panel.Width * 3);
            }

            left += panel.Width + Gap;
        }

        return sheet;
    }
}
