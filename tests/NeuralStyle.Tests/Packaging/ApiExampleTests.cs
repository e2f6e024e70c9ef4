using NeuralStyle.Examples;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Packaging;

/// <summary>examples/Api/StyliseExample.cs, compiled into this assembly: it runs, and the README shows it as it is.</summary>
public class ApiExampleTests
{
    [Fact]
    public void The_example_stylises_an_image_and_reports_progress()
    {
        using var temp = new TempDirectory();
        string output = temp.File("chelsea-brick.png");
        var steps = new List<(int Scale, int Scales, int Iteration, int Iterations)>();
        StyliseExample.Stylise(Fixtures.Example("chelsea.png"), Fixtures.Example("brick.png"), output, (s, n, i, t) => steps.Add((s, n, i, t)), width: 128, iterations: 6);

        using (var image = SkiaSharp.SKBitmap.Decode(output))
        {
            Assert.Equal(128, image.Width);
        }

        // Three scales, the coarser two with half the iterations, every step reported in order.
        Assert.Equal([(1, 3, 1, 3), (1, 3, 2, 3), (1, 3, 3, 3), (2, 3, 1, 3), (2, 3, 2, 3), (2, 3, 3, 3), (3, 3, 1, 6), (3, 3, 2, 6), (3, 3, 3, 6), (3, 3, 4, 6), (3, 3, 5, 6), (3, 3, 6, 6)], steps);
    }

    [Fact]
    public void The_readme_shows_the_example_verbatim()
    {
        string root = TorchvisionReference.RepositoryRoot;
        string example = File.ReadAllText(Path.Combine(root, "examples", "Api", "StyliseExample.cs")).ReplaceLineEndings("\n").TrimEnd();
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        Assert.Contains("```csharp\n" + example + "\n```", readme, StringComparison.Ordinal);
    }
}
