using System.Globalization;
using NeuralStyle.Imaging;

/// <summary>
/// The README's figure: pictures side by side at one width (antialiased resize, as the transfer sizes its inputs), so
/// that a content, a style and a result of different sizes line up.
/// </summary>
/// <remarks>usage: dotnet run -c Release --project bench/NeuralStyle.Bench -- sheet --output PATH [--width 256] IMAGE...</remarks>
internal static class SheetCommand
{
    public static int Run(string[] args)
    {
        int width = 256;
        string? output = null;
        var images = new List<string>();
        for (int a = 1; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--width": width = int.Parse(args[++a], CultureInfo.InvariantCulture); break;
                case "--output": output = args[++a]; break;
                default: images.Add(args[a]); break;
            }
        }

        if (output is null || images.Count == 0)
        {
            Console.Error.WriteLine("usage: sheet --output PATH [--width 256] IMAGE...");
            return 2;
        }

        RgbImage[] panels = [.. images.Select(p => ImageReader.Read(p)).Select(i => i.Width == width ? i : ImageResizer.ResizeToWidth(i, width))];
        ImageWriter.Write(ContactSheet.Compose(panels), output, overwrite: true);
        Console.WriteLine($"{output}: {string.Join(" | ", images.Select(Path.GetFileName))} at {width} px");
        return 0;
    }
}
