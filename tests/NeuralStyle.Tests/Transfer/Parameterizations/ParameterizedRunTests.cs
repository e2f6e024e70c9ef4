using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Parameterizations;
using NeuralStyle.Transfer.Robustness;
using Xunit;

namespace NeuralStyle.Tests.Transfer.Parameterizations;

/// <summary>Runs of the engine with each parameterisation and with transforms, on the tiny VGG: they optimise, repeat, and resume exactly.</summary>
public class ParameterizedRunTests
{
    private static readonly TransformRobustness Some = new(JitterPixels: 2, ScaleMin: 0.95, ScaleMax: 1.05, RotationDegrees: 3);

    private static (VggFeatureNetwork Network, RgbImage Content, RgbImage Style) Inputs() =>
        (MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max),
         ImageReader.Read(Fixtures.TinyVgg("content.png")),
         ImageReader.Read(Fixtures.TinyVgg("style1.png")));

    public static TheoryData<ImageParameterization, bool, OptimizerKind> Variants()
    {
        var data = new TheoryData<ImageParameterization, bool, OptimizerKind>();
        foreach (ImageParameterization kind in Enum.GetValues<ImageParameterization>())
        {
            data.Add(kind, true, OptimizerKind.Adam);
            data.Add(kind, false, OptimizerKind.Lbfgs);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_parameterisation_lowers_the_loss(ImageParameterization kind, bool decorrelate, OptimizerKind optimizer)
    {
        (VggFeatureNetwork network, RgbImage content, RgbImage style) = Inputs();
        using (network)
        {
            var settings = new StyleTransferSettings
            {
                Iterations = 15,
                Seed = 4,
                PrintIterations = 1,
                Parameterization = kind,
                DecorrelateColors = decorrelate,
                Optimizer = optimizer,
                LearningRate = optimizer == OptimizerKind.Lbfgs ? 1 : 10,
            };
            var events = new StyleTransfer(network, settings).Stylize(content, [style], initial: content).ToList();
            var losses = events.OfType<LossesEvaluated>().Select(e => e.Losses.Total).ToList();
            Assert.Equal(15, losses.Count);
            Assert.True(losses[^1] < 0.8 * losses[0], $"{kind}: loss {losses[0]} -> {losses[^1]}");
            RgbImage result = events.OfType<ImageProduced>().Last().Image;
            Assert.Equal((content.Width, content.Height), (result.Width, result.Height));
            Assert.All(result.Pixels, v => Assert.True(float.IsFinite(v)));
        }
    }

    [Fact]
    public void Transforms_change_the_result_and_a_seeded_run_repeats_it()
    {
        (VggFeatureNetwork network, RgbImage content, RgbImage style) = Inputs();
        using (network)
        {
            RgbImage Run(TransformRobustness robustness, long seed) => new StyleTransfer(network, new StyleTransferSettings
            {
                Iterations = 8,
                Seed = seed,
                Parameterization = ImageParameterization.Pyramid,
                Robustness = robustness,
            }).Stylize(content, [style], initial: content).OfType<ImageProduced>().Last().Image;

            RgbImage plain = Run(TransformRobustness.None, 1), once = Run(Some, 1), twice = Run(Some, 1), other = Run(Some, 2);
            Assert.Equal(once.Pixels, twice.Pixels);
            Assert.NotEqual(plain.Pixels, once.Pixels);
            Assert.NotEqual(once.Pixels, other.Pixels);
        }
    }

    public static TheoryData<ImageParameterization, OptimizerKind, bool> Resumes() => new()
    {
        { ImageParameterization.Fourier, OptimizerKind.Adam, true },
        { ImageParameterization.Pyramid, OptimizerKind.Lbfgs, true },
        { ImageParameterization.Pixel, OptimizerKind.Adam, true },
        { ImageParameterization.Fourier, OptimizerKind.Lbfgs, false },
    };

    [Theory]
    [MemberData(nameof(Resumes))]
    public void A_resumed_run_ends_exactly_as_the_uninterrupted_one(ImageParameterization kind, OptimizerKind optimizer, bool decorrelate)
    {
        (VggFeatureNetwork network, RgbImage content, RgbImage style) = Inputs();
        using (network)
        {
            var settings = new StyleTransferSettings
            {
                Iterations = 7,
                CheckpointIterations = 3,
                Seed = 11,
                Parameterization = kind,
                DecorrelateColors = decorrelate,
                Robustness = Some,
                Optimizer = optimizer,
                LearningRate = optimizer == OptimizerKind.Lbfgs ? 1 : 10,
                AverageDecay = 0.9,
            };
            var whole = new StyleTransfer(network, settings).Stylize(content, [style], captureState: true).OfType<ImageProduced>().ToList();
            using TransferState state = whole.Single(e => e.State!.CompletedIterations == 4).State!;
            Assert.Equal(kind != ImageParameterization.Pixel || decorrelate, state.Parameters is not null);

            var resumed = new StyleTransfer(network, settings).Stylize(content, [style], resume: state).OfType<ImageProduced>().ToList();
            Assert.Equal(whole[^1].Image.Pixels, resumed[^1].Image.Pixels);
            Assert.Equal(whole[^1].BestLoss, resumed[^1].BestLoss);

            foreach (ImageProduced e in whole)
            {
                e.State!.Dispose();
            }
        }
    }

    [Fact]
    public void A_state_from_another_parameterisation_is_refused()
    {
        (VggFeatureNetwork network, RgbImage content, RgbImage style) = Inputs();
        using (network)
        {
            var pixels = new StyleTransferSettings { Iterations = 2, CheckpointIterations = 1, Seed = 1 };
            using TransferState state = new StyleTransfer(network, pixels).Stylize(content, [style], captureState: true).OfType<ImageProduced>().First().State!;
            var fourier = pixels with { Iterations = 4, Parameterization = ImageParameterization.Fourier };
            var error = Assert.Throws<ArgumentException>(() => new StyleTransfer(network, fourier).Stylize(content, [style], resume: state));
            Assert.Contains("another image parameterisation", error.Message);
        }
    }
}
