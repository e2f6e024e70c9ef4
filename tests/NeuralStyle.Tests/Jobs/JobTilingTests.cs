using NeuralStyle.Backbones;
using NeuralStyle.Jobs;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Losses;
using Xunit;

namespace NeuralStyle.Tests.Jobs;

/// <summary>
/// Issue 15's choice of tiling before a run starts: under a budget the untiled run exceeds, the largest tile whose
/// estimate fits is chosen, coarse scales that fit run untiled, and a run that fits in no tile, or whose style loss
/// cannot be tiled, is refused with its reason; <c>--tile</c> forces a tile and is ignored for smaller images.
/// </summary>
public class JobTilingTests
{
    private static readonly ScaleStep[] Plan = [new(500, 375, 10), new(1000, 750, 10), new(2000, 1500, 10)];

    [Fact]
    public void Over_the_budget_the_largest_tile_that_fits_is_chosen_and_the_coarse_scales_that_fit_run_untiled()
    {
        using VggFeatureNetwork network = Vgg19Shapes();
        var settings = new StyleTransferSettings();
        (long untiled, TilingPlan? none, _) = Check(network, settings, 2000, 1500, limitMiB: null);
        Assert.Null(none);

        // A budget just above the estimate in 1024 px tiles, below the untiled one: 1024 is the tile to choose.
        (long at1024, TilingPlan? forced, _) = Check(network, settings with { TileSize = 1024 }, 2000, 1500, limitMiB: null);
        (long at1536, _, _) = Check(network, settings with { TileSize = 1536 }, 2000, 1500, limitMiB: null);
        Assert.NotNull(forced);
        Assert.True(at1024 < untiled && at1024 < at1536, $"estimates: 1024 px tiles {at1024 >> 20} MiB, 1536 px {at1536 >> 20} MiB, untiled {untiled >> 20} MiB");
        int budget = (int)(at1024 >> 20) + 1;
        (long estimate, TilingPlan? plan, List<JobEvent> events) = Check(network, settings, 2000, 1500, budget);
        Assert.NotNull(plan);
        Assert.False(plan.Forced);
        Assert.Equal(1024, plan.Tile);
        Assert.True(estimate <= (long)budget << 20, $"estimate {estimate >> 20} MiB over the budget {budget} MiB");
        Assert.Equal(untiled, plan.UntiledBytes);
        Assert.Equal(estimate, plan.EstimatedBytes);

        // Each coarser scale runs untiled when it fits untiled (or is no larger than the tile).
        int?[] expected = [.. Plan.Select(step => Math.Max(step.Width, step.Height) <= 1024 || Check(network, settings, step.Width, step.Height, null).Estimate <= (long)budget << 20 ? (int?)null : 1024)];
        expected[^1] = 1024;
        Assert.Equal(expected, plan.ScaleTiles);
        Assert.Null(plan.ScaleTiles[0]);

        TilingChosen chosen = Assert.Single(events.OfType<TilingChosen>());
        Assert.Equal((2000, 1500, 1024, plan.Geometry.Margin), (chosen.Width, chosen.Height, chosen.Tile, chosen.Margin));
        Assert.Equal((2, 2), (chosen.Rows, chosen.Columns));
        Assert.False(chosen.Forced);
    }

    [Fact]
    public void A_run_that_fits_in_no_tile_is_refused_before_it_starts()
    {
        using VggFeatureNetwork network = Vgg19Shapes();
        var e = Assert.Throws<InsufficientMemoryException>(() => Check(network, new StyleTransferSettings(), 2000, 1500, limitMiB: 300));
        Assert.Contains("tiles", e.Message, StringComparison.Ordinal);
        Assert.Contains("--width", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_style_loss_that_cannot_be_tiled_is_refused_with_its_reason()
    {
        using VggFeatureNetwork network = Vgg19Shapes();
        var settings = new StyleTransferSettings { StyleLoss = StyleLossKind.Sliced };
        (long untiled, _, _) = Check(network, settings, 2000, 1500, limitMiB: null);
        var e = Assert.Throws<InsufficientMemoryException>(() => Check(network, settings, 2000, 1500, (int)((untiled >> 20) - 1)));
        Assert.Contains("cannot be tiled", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forced_tile_is_planned_for_larger_images_only()
    {
        using VggFeatureNetwork network = Vgg19Shapes();
        var settings = new StyleTransferSettings { TileSize = 800 };
        (_, TilingPlan? plan, List<JobEvent> events) = Check(network, settings, 2000, 1500, limitMiB: null);
        Assert.NotNull(plan);
        Assert.True(plan.Forced);
        Assert.Equal(new int?[] { null, 800, 800 }, plan.ScaleTiles);
        Assert.True(Assert.Single(events.OfType<TilingChosen>()).Forced);

        (_, TilingPlan? none, List<JobEvent> quiet) = Check(network, settings, 640, 480, limitMiB: null);
        Assert.Null(none);
        Assert.Empty(quiet.OfType<TilingChosen>());
    }

    // VGG-19's real shapes: a network whose activations, not the pictures, set the peak, as tiling assumes.
    private static VggFeatureNetwork Vgg19Shapes() => RandomVgg19.Create("relu5_1", seed: 1);

    private static (long Estimate, TilingPlan? Plan, List<JobEvent> Events) Check(IFeatureNetwork network, StyleTransferSettings settings, int width, int height, int? limitMiB)
    {
        var events = new List<JobEvent>();
        ScaleStep[] plan = width == 2000 ? Plan : [new ScaleStep(width, height, 10)];
        TilingPlan? tiling = JobMemory.Check(network, settings, new JobImageSizes((width, height), [(width, height)]), limitMiB ?? int.MaxValue, plan, events.Add);
        return (events.OfType<MemoryChecked>().Single().EstimatedBytes, tiling, events);
    }
}
