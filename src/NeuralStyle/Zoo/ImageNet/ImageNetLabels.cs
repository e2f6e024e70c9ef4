namespace NeuralStyle.Zoo.ImageNet;

/// <summary>The 1000 ImageNet-1k class names in torchvision's class order (shipped with the library; see tools/make_imagenet_labels.py).</summary>
public static class ImageNetLabels
{
    private const string Resource = "NeuralStyle.Zoo.ImageNet.imagenet-labels.txt";

    private static readonly Lazy<IReadOnlyList<string>> Names = new(Load);

    /// <summary>The names, index k for class k ("tench", "goldfish", ...).</summary>
    public static IReadOnlyList<string> All => Names.Value;

    /// <summary>The name of class <paramref name="index"/> for a model with <paramref name="classes"/> outputs: the ImageNet name for 1000-class models, else the index itself.</summary>
    public static string For(int index, int classes) =>
        classes == All.Count && index >= 0 && index < All.Count ? All[index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IReadOnlyList<string> Load()
    {
        using Stream stream = typeof(ImageNetLabels).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"the embedded resource {Resource} is missing from the build");
        using var reader = new StreamReader(stream);
        var names = new List<string>(1000);
        while (reader.ReadLine() is string line)
        {
            if (!line.StartsWith('#') && line.Length > 0)
            {
                names.Add(line);
            }
        }

        return names.Count == 1000 ? names : throw new InvalidDataException($"{Resource} has {names.Count} class names instead of 1000");
    }
}
