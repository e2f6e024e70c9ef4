using NeuralStyle.Jobs;
using NeuralStyle.Plotting;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Plotting;

public sealed class LossPlotTests
{
    // A term's legend entry alone is a short thick line (about 20 x 3 pixels); a drawn term has hundreds more.
    private const int LegendOnly = 150;

    [Fact]
    public void A_plot_is_a_png_of_the_asked_size_showing_every_term_in_its_colour()
    {
        byte[] png = LossPlot.RenderPng(LossSeries.Scales([100, 100, 200]), scales: 3);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        var pixels = new PlotPixels(png);
        Assert.Equal((LossPlot.DefaultWidth, LossPlot.DefaultHeight), (pixels.Width, pixels.Height));
        foreach (LossTerm term in LossTerm.All)
        {
            Assert.True(pixels.Of(term.Name) > 4 * LegendOnly, $"{term.Name}: {pixels.Of(term.Name)} pixels of {term.Color}");
        }

        var small = new PlotPixels(LossPlot.RenderPng(LossSeries.Scales([10]), width: 640, height: 300));
        Assert.Equal((640, 300), (small.Width, small.Height));
    }

    [Fact]
    public void A_term_without_any_value_above_0_draws_no_line()
    {
        var pixels = new PlotPixels(LossPlot.RenderPng(LossSeries.Scales([60, 60], tv: 0), scales: 2));

        Assert.True(pixels.Of("tv") < LegendOnly, $"tv: {pixels.Of("tv")} pixels");
        Assert.True(pixels.Of("style") > 4 * LegendOnly);
    }

    [Fact]
    public void The_terms_colours_are_distinct_from_each_other_and_from_grey()
    {
        string[] colours = [.. LossTerm.All.Select(t => t.Color)];
        Assert.Equal(["content", "style", "tv", "total"], LossTerm.All.Select(t => t.Name));
        Assert.Equal(colours.Length, colours.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (string c in colours)
        {
            int r = Convert.ToInt32(c[1..3], 16), g = Convert.ToInt32(c[3..5], 16), b = Convert.ToInt32(c[5..7], 16);
            Assert.True(Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)) > 40, $"{c} is nearly grey: it would be confused with the grid and text");
        }
    }

    [Fact]
    public void No_points_give_an_empty_plot_of_the_same_size()
    {
        var pixels = new PlotPixels(LossPlot.RenderPng([]));

        Assert.Equal((LossPlot.DefaultWidth, LossPlot.DefaultHeight), (pixels.Width, pixels.Height));
        Assert.All(LossTerm.All, t => Assert.True(pixels.Of(t.Name) < LegendOnly));
    }

    [Theory]
    [InlineData(99, 560)]
    [InlineData(1400, 99)]
    [InlineData(LossPlot.MaxSide + 1, 560)]
    [InlineData(1400, LossPlot.MaxSide + 1)]
    public void Sizes_out_of_range_are_refused(int width, int height) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LossPlot.RenderPng(LossSeries.Scales([3]), width: width, height: height));

    [Fact]
    public void Write_replaces_the_file_through_a_temporary_one_and_refuses_an_existing_file_without_overwrite()
    {
        using var temp = new TempDirectory();
        string path = temp.File("losses.png");
        LossPlot.Write(LossSeries.Scales([20]), path, overwrite: false);
        byte[] first = File.ReadAllBytes(path);
        Assert.Equal((LossPlot.DefaultWidth, LossPlot.DefaultHeight), (new PlotPixels(first).Width, new PlotPixels(first).Height));

        IOException refused = Assert.Throws<IOException>(() => LossPlot.Write(LossSeries.Scales([40]), path, overwrite: false));
        Assert.Equal($"{path} already exists (use --overwrite to replace it)", refused.Message);
        Assert.Equal(first, File.ReadAllBytes(path));

        LossPlot.Write(LossSeries.Scales([40]), path, overwrite: true);
        Assert.NotEqual(first, File.ReadAllBytes(path));
        Assert.Equal(["losses.png"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_refuses_a_name_that_is_not_png_and_names_a_missing_directory()
    {
        using var temp = new TempDirectory();
        ArgumentException notPng = Assert.Throws<ArgumentException>(() => LossPlot.Write(LossSeries.Scales([3]), temp.File("losses.jpg"), overwrite: true));
        Assert.StartsWith($"{temp.File("losses.jpg")}: a loss plot is written as PNG", notPng.Message);

        string missing = Path.Combine(temp.Path, "no-such-directory", "losses.PNG");
        IOException e = Assert.Throws<IOException>(() => LossPlot.Write(LossSeries.Scales([3]), missing, overwrite: true));
        Assert.StartsWith($"cannot write the loss plot {missing}: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public void A_failing_write_leaves_the_previous_plot_and_no_temporary_file()
    {
        using var temp = new TempDirectory();
        string path = temp.File("losses.png");
        LossPlot.Write(LossSeries.Scales([20]), path, overwrite: true);
        byte[] before = File.ReadAllBytes(path);

        // The temporary name taken by a directory: the write fails where a full disk would, before the rename.
        Directory.CreateDirectory(path + ".tmp");
        Assert.Throws<IOException>(() => LossPlot.Write(LossSeries.Scales([40]), path, overwrite: true));
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
