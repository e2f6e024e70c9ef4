using NeuralStyle.Jobs;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using Xunit;

namespace NeuralStyle.Tests.Jobs;

/// <summary>
/// The library refuses a specification with values out of range before it reads a file (the CLI is only one front
/// end): the inputs named here do not exist, so a later check would fail with another message.
/// </summary>
public class StyleJobSpecValidationTests
{
    private static StyleJobSpec Spec(TempDirectory temp) => new()
    {
        Content = temp.File("content.png"),
        Styles = [temp.File("style.png")],
        Network = temp.File("net.mat"),
        Output = temp.File("out.png"),
        Settings = new StyleTransferSettings { Iterations = 2 },
    };

    [Theory]
    [InlineData("style weight", "style weight must not be negative (got -1)")]
    [InlineData("learning rate", "learning rate must be a finite number (got NaN)")]
    [InlineData("style scale", "style scale must be a finite number (got Infinity)")]
    [InlineData("scale count", "2 style scales for 1 style images")]
    [InlineData("checkpoint", "a checkpoint output needs checkpoint iterations (how often to write one); without them none would be written")]
    [InlineData("checkpoint name", "the checkpoint output cp.png must contain %s (replaced by the iteration)")]
    [InlineData("epsilon", "epsilon must be a finite number (got Infinity)")]
    [InlineData("width", "width must be positive (got 0)")]
    public void A_spec_out_of_range_fails_before_any_file_is_read(string field, string reason)
    {
        using var temp = new TempDirectory();
        StyleJobSpec valid = Spec(temp);
        StyleJobSpec spec = field switch
        {
            "style weight" => valid with { Weights = new LossWeightChoice(null, -1, null, null) },
            "learning rate" => valid with { Weights = new LossWeightChoice(null, null, null, double.NaN) },
            "style scale" => valid with { StyleScales = [double.PositiveInfinity] },
            "scale count" => valid with { StyleScales = [1, 1] },
            "checkpoint" => valid with { CheckpointOutput = temp.File("cp%s.png") },
            "checkpoint name" => valid with { CheckpointOutput = "cp.png", Settings = valid.Settings with { CheckpointIterations = 1 } },
            "epsilon" => valid with { Settings = valid.Settings with { Epsilon = double.PositiveInfinity } },
            "width" => valid with { Width = 0 },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
        valid.Validate();

        var events = new List<JobEvent>();
        var e = Assert.Throws<JobSpecException>(() => StyleJob.Run(spec, JobContext.None, events.Add));
        Assert.Equal(reason, e.Message);
        Assert.Equal(reason, Assert.IsType<JobFailed>(Assert.Single(events)).Reason);
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }
}
