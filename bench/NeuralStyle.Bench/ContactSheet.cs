using NeuralStyle.Imaging;

/// <summary>
/// Pictures side by side, top-aligned on a grey background with a gap, as one image, each enlarged by a whole factor
/// with nearest neighbour so that speckle and grid dots stay visible pixel for pixel (no labels: the order is the
/// table's, content | style | variants).
/// </summary>
internal static class ContactSheet
{
    private const int Gap = 4;
    private const float Background = 128f;

    public static RgbImage Compose(IReadOnlyList<RgbImage> panels, int scale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        IReadOnlyList<RgbImage> tiles = [.. panels.Select(p => Enlarge(p, scale))];
        int width = tiles.Sum(p => p.Width) + (Gap * (tiles.Count + 1));
        int height = tiles.Max(p => p.Height) + (2 * Gap);
        var sheet = new RgbImage(width, height, Enumerable.Repeat(Background, width * height * 3).ToArray());
        int left = Gap;
        foreach (RgbImage tile in tiles)
        {
            for (int y = 0; y < tile.Height; y++)
            {
                Array.Copy(tile.Pixels, y * tile.Width * 3, sheet.Pixels, (((y + Gap) * width) + left) * 3, tile.Width * 3);
            }

            left += tile.Width + Gap;
        }

        return sheet;
    }

    /// <summary>Each pixel becomes a <paramref name="factor"/> x <paramref name="factor"/> block (nearest neighbour).</summary>
    public static RgbImage Enlarge(RgbImage image, int factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        if (factor == 1)
        {
            return image;
        }

        var large = new RgbImage(image.Width * factor, image.Height * factor);
        for (int y = 0; y < large.Height; y++)
        {
            for (int x = 0; x < large.Width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    large[x, y, c] = image[x / factor, y / factor, c];
                }
            }
        }

        return large;
    }
}
