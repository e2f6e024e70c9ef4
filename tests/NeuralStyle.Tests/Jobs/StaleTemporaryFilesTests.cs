using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Jobs;

/// <summary>On resume, the temporary files a killed run of the same outputs left are removed, and nothing else.</summary>
public class StaleTemporaryFilesTests
{
    [Fact]
    public void FindsExactlyTheRunsOwnTemporaryFiles()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("ck"));
        string image = ImageWriterTemporaryName(temp.File("out.png"));
        string checkpoint = ImageWriterTemporaryName(temp.File("ck/c12.png"));
        string[] stale = [temp.File("out.json.tmp"), temp.File("out.state.tmp"), temp.File(image), temp.File("ck/" + checkpoint), temp.File("old.json.tmp"), temp.File("old.state.tmp")];
        string guid = Guid.NewGuid().ToString("N");
        string[] others =
        [
            temp.File("out.png"), temp.File("out.json"), temp.File("out.state"), temp.File("out.png.tmp"), temp.File("other.json.tmp"),
            temp.File($".other.png.{guid}.tmp"), temp.File(".out.png.0123.tmp"), temp.File($".out.png.{guid.ToUpperInvariant()}.tmp"),
            temp.File($".out.png.{guid}.tmp.keep"), temp.File($"ck/.cX.png.{guid}.tmp"), temp.File($"ck/.c12.jpg.{guid}.tmp"), temp.File($".c12.png.{guid}.tmp"),
        ];
        foreach (string file in stale.Concat(others))
        {
            File.WriteAllText(file, "x");
        }

        // A directory with a stale-looking name is not a file of the run.
        Directory.CreateDirectory(temp.File($".out.png.{Guid.NewGuid():N}.tmp"));

        var spec = new StyleJobSpec { Content = "c.png", Styles = ["s.png"], Output = temp.File("out.png"), CheckpointOutput = temp.File("ck/c%s.png"), Settings = new StyleTransferSettings() };
        var context = new JobContext([], temp.File("old.json"), temp.File("old.state"));
        Assert.Equal(stale.Order(StringComparer.Ordinal), StaleTemporaryFiles.Find(spec, context));

        StaleTemporaryFiles.Remove(spec, context);
        Assert.All(stale, f => Assert.False(File.Exists(f), f));
        Assert.All(others, f => Assert.True(File.Exists(f), f));
        Assert.Empty(StaleTemporaryFiles.Find(spec, context));
    }

    // The name ImageWriter really gives its temporary file for target, so the pattern cannot drift from it.
    private static string ImageWriterTemporaryName(string target)
    {
        string? seen = null;
        ImageWriter.Write(new RgbImage(2, 2), target, overwrite: true, 95, beforeRename: t => seen = Path.GetFileName(t));
        File.Delete(target);
        return seen!;
    }
}
