using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NeuralStyle.Backbones;
using NeuralStyle.Jobs;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Parameterizations;
using NeuralStyle.Transfer.Robustness;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Jobs;

/// <summary>
/// The memory estimate of a run with a variable of its own (Fourier coefficients, pyramid levels, decorrelated
/// colours) and with transforms (issue 12): it counts what those keep, and still bounds a real run's peak.
/// </summary>
public class PictureMemoryTests
{
    [Theory]
    [InlineData(ImageParameterization.Fourier, false, 37, 29)]
    [InlineData(ImageParameterization.Fourier, true, 64, 48)]
    [InlineData(ImageParameterization.Pyramid, false, 37, 29)]
    [InlineData(ImageParameterization.Pyramid, false, 301, 200)]
    [InlineData(ImageParameterization.Pyramid, true, 1000, 667)]
    [InlineData(ImageParameterization.Pixel, true, 64, 48)]
    public void The_variable_counted_is_the_one_the_run_optimises(ImageParameterization kind, bool decorrelate, int width, int height)
    {
        using var scope = NewDisposeScope();
        Tensor image = rand(1, 3, height, width) * 255;
        using ColorBasis? colors = decorrelate ? ColorBasis.From(image, [image.flip(3)]) : null;
        using IImageParameters parameters = ImageParameters.Encode(kind, image, colors);
        Assert.False(parameters.IsImage);
        Assert.Equal(parameters.Variable.numel(), MemoryEstimator.VariableElements(kind, decorrelate, width, height));
    }

    [Fact]
    public void The_seeds_pixels_have_no_variable_of_their_own_and_any_size_is_counted_without_overflow()
    {
        Assert.Equal(0, MemoryEstimator.VariableElements(ImageParameterization.Pixel, false, 1000, 667));
        // 3 x (2^31)^2 is beyond a long: counted in double, more than the finest level alone.
        Assert.True(MemoryEstimator.VariableElements(ImageParameterization.Pyramid, false, int.MaxValue, int.MaxValue) > 3.0 * int.MaxValue * int.MaxValue);
        Assert.True(MemoryEstimator.VariableElements(ImageParameterization.Fourier, false, int.MaxValue, int.MaxValue) > 3.0 * int.MaxValue * int.MaxValue);
    }

    // The job's estimate (what it reports and refuses with) for the tiny VGG at 2000 x 1568 with these settings.
    [Theory]
    [InlineData(ImageParameterization.Fourier, false, false, OptimizerKind.Adam)]
    [InlineData(ImageParameterization.Pyramid, false, false, OptimizerKind.Adam)]
    [InlineData(ImageParameterization.Pixel, true, false, OptimizerKind.Adam)]
    [InlineData(ImageParameterization.Pixel, false, true, OptimizerKind.Adam)]
    [InlineData(ImageParameterization.Fourier, true, true, OptimizerKind.Adam)]
    [InlineData(ImageParameterization.Pyramid, false, true, OptimizerKind.Lbfgs)]
    public void The_estimate_grows_by_the_variable_its_optimiser_state_and_the_transformed_copy(ImageParameterization kind, bool decorrelate, bool transforms, OptimizerKind optimizer)
    {
        const int width = 2000, height = 1568;
        var plain = new StyleTransferSettings { Optimizer = optimizer };
        var picture = plain with
        {
            Parameterization = kind,
            DecorrelateColors = decorrelate,
            Robustness = transforms ? new TransformRobustness(2, 0.9, 1.1, 5) : TransformRobustness.None,
        };

        double pixels = (double)width * height, image = 12 * pixels;
        double variable = kind == ImageParameterization.Fourier ? 3.0 * height * ((width / 2) + 1) * 2
            : kind == ImageParameterization.Pyramid ? 3 * PyramidParameters.Levels(height, width).Sum(l => (double)l.Height * l.Width)
            : decorrelate ? 3 * pixels : 0;
        int copies = plain.OptimizerImageCopies;
        // A variable of its own: it, its gradient, the intermediate that renders it and the optimiser's copies are
        // variable-sized, and the optimiser no longer keeps image-sized copies. Transforms: the resampled copy and its
        // gradient, the content kept to be transformed alike, and the sampling grid (two floats a pixel).
        double expected = (variable > 0 ? (4 * variable * (3 + copies)) - (image * copies) : 0)
            + (transforms ? (3 * image) + (8 * pixels) : 0);

        double growth = Estimate(picture, width, height) - Estimate(plain, width, height);
        Assert.True(expected > 10 << 20, $"expected growth {expected}");
        Assert.InRange(growth, expected - 1, expected + 1);
    }

    // Measured in a process of its own (the manifest's peak is the process's VmHWM), at the size the estimate's
    // coefficients were fitted at (README, "Memory"): the Fourier and pyramid variables and the transforms counted,
    // the peak stays near the estimate. Measured on the Xeon: 1393 MiB against 1466 and 1420 against 1479 (below it).
    // The bound allows 10% over, because the peak includes the allocator's and oneDNN's share, which differ by CPU,
    // and the estimate's base coefficients are known to run a little under the peak at mid sizes (512 px: 725 MiB
    // estimated, 759..804 measured). Each picture copy is a few percent of this peak, so the bytes counted for them
    // are checked by the growth test above; this one checks that the whole stays in step with a real run.
    [Theory]
    [InlineData("fourier")]
    [InlineData("pyramid")]
    public void The_estimate_follows_the_peak_of_a_run_with_its_own_variable_and_transforms(string parameterization)
    {
        using var temp = new TempDirectory();
        (int code, _, string stderr) = CliProcess.Run(
            "--network", BundledResNet18.DefaultPath, "--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"),
            "--width", "1000", "--iterations", "2", "--scales", "1", "--threads", "1", "--seed", "3", "--output", temp.File("o.png"),
            "--parameterization", parameterization, "--decorrelate-colors", "--jitter", "2", "--scale-range", "0.9", "1.1", "--rotation", "5");
        Assert.True(code == 0, stderr);
        Match printed = Regex.Match(stderr, @"Memory: estimated peak (\d+) MiB");
        Assert.True(printed.Success, stderr);
        long estimate = long.Parse(printed.Groups[1].Value, CultureInfo.InvariantCulture) << 20;

        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(temp.File("o.json")));
        long peak = manifest.RootElement.GetProperty("peakMemoryBytes").GetInt64();
        Assert.True(peak > estimate * 0.6 && peak <= estimate * 1.1, $"peak {peak >> 20} MiB, estimate {estimate >> 20} MiB");
    }

    private static long Estimate(StyleTransferSettings settings, int width, int height)
    {
        using VggFeatureNetwork network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu5_1");
        long? estimate = null;
        JobMemory.Check(network, settings, new JobImageSizes((width, height), [(width, height)]), limitMiB: int.MaxValue, [new ScaleStep(width, height, 1)], e => estimate = ((MemoryChecked)e).EstimatedBytes);
        return estimate ?? throw new InvalidOperationException("no estimate reported");
    }
}
