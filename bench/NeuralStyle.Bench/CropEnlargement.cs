using System.Globalization;
using NeuralStyle.Imaging;

/// <summary>
/// Issue 12 item 5: a rectangle of a result enlarged with nearest neighbour, so a stride-8/16 dot grid shows as
/// regularly spaced blocks rather than being smoothed away by the viewer's scaling.
/// </summary>
/// <remarks>
/// usage: dotnet run -c Release --project bench/NeuralStyle.Bench -- crop IMAGE X Y WIDTH HEIGHT [--factor 4]
///        [--output PATH]
/// The rectangle is in pixels of IMAGE (left, top, width, height) and must lie inside it; the output defaults to
/// IMAGE's name with "-crop-X-Y-WxH-xFACTOR.png" appended, beside it. Writes a PNG and prints its path.
/// </remarks>
internal static class CropEnlargement
{
    public static int Run(string[] args)
    {
        if (args.Length < 6)
        {
            Console.Error.WriteLine("neural-style-bench: error: crop needs IMAGE X Y WIDTH HEIGHT [--factor 4] [--output PATH]");
            return 2;
        }

        string input = args[1];
        var numbers = new int[4];
        string[] names = ["X", "Y", "WIDTH", "HEIGHT"];
        for (int i = 0; i < 4; i++)
        {
            if (!int.TryParse(args[2 + i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                Console.Error.WriteLine($"neural-style-bench: error: crop: {names[i]} must be a whole number of pixels, got '{args[2 + i]}'");
                return 2;
            }
        }

        int factor = 4;
        string? output = null;
        for (int a = 6; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--factor" when a + 1 < args.Length && int.TryParse(args[a + 1], NumberStyles.None, CultureInfo.InvariantCulture, out factor) && factor is >= 1 and <= 64:
                    a++;
                    break;
                case "--output" when a + 1 < args.Length:
                    output = args[++a];
                    break;
                default:
                    Console.Error.WriteLine($"neural-style-bench: error: crop: unknown or incomplete argument '{args[a]}' (--factor takes 1 to 64, --output a path)");
                    return 2;
            }
        }

        (int x, int y, int width, int height) = (numbers[0], numbers[1], numbers[2], numbers[3]);
        RgbImage image;
        try
        {
            image = ImageReader.Read(input);
        }
        catch (ImageReadException e)
        {
            Console.Error.WriteLine($"neural-style-bench: error: crop: {input}: {e.Message}");
            return 1;
        }

        if (width == 0 || height == 0 || x + width > image.Width || y + height > image.Height)
        {
            Console.Error.WriteLine($"neural-style-bench: error: crop: the rectangle {x},{y} {width}x{height} is empty or not inside {input} ({image.Width}x{image.Height})");
            return 2;
        }

        var crop = new RgbImage(width, height);
        for (int row = 0; row < height; row++)
        {
            Array.Copy(image.Pixels, (((y + row) * image.Width) + x) * 3, crop.Pixels, row * width * 3, width * 3);
        }

        output ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(input))!,
            $"{Path.GetFileNameWithoutExtension(input)}-crop-{x}-{y}-{width}x{height}-x{factor}.png");
        ImageWriter.Write(ContactSheet.Enlarge(crop, factor), output, overwrite: true);
        Console.WriteLine(output);
        return 0;
    }
}
