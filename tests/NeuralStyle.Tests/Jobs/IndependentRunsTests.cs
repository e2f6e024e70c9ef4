using NeuralStyle.Backbones;
using NeuralStyle.Imaging;
using NeuralStyle.Jobs;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Transfer.Losses;
using NeuralStyle.Weights.MatConvNet;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Jobs;

/// <summary>
/// Each run owns its random numbers (initial noise, sliced directions): two runs with different seeds, interleaved
/// step by step in one process or run at the same time, give exactly the images they give alone, and a run leaves
/// LibTorch's global generator untouched.
/// </summary>
public class IndependentRunsTests
{
    private static StyleTransferSettings Settings(long? seed) => new()
    {
        Iterations = 6,
        StyleLoss = StyleLossKind.Sliced,
        InitialNoiseBlend = 1,
        CheckpointIterations = 3,
        Seed = seed,
    };

    [Fact]
    public void Interleaved_runs_give_the_images_they_give_alone()
    {
        using var network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu5_1");
        RgbImage content = ImageReader.Read(Fixtures.TinyVgg("content.png"));
        RgbImage style = ImageReader.Read(Fixtures.TinyVgg("style1.png"));
        float[][] alone = [Final(new StyleTransfer(network, Settings(11)).Stylize(content, [style])), Final(new StyleTransfer(network, Settings(12)).Stylize(content, [style]))];
        Assert.NotEqual(alone[0], alone[1]);

        using IEnumerator<TransferEvent> a = new StyleTransfer(network, Settings(11)).Stylize(content, [style]).GetEnumerator();
        using IEnumerator<TransferEvent> b = new StyleTransfer(network, Settings(12)).Stylize(content, [style]).GetEnumerator();
        float[]? finalA = null, finalB = null;
        bool moreA = true, moreB = true;
        while (moreA || moreB)
        {
            if (moreA && (moreA = a.MoveNext()) && a.Current is ImageProduced { IsFinal: true } pa)
            {
                finalA = pa.Image.Pixels;
            }

            if (moreB && (moreB = b.MoveNext()) && b.Current is ImageProduced { IsFinal: true } pb)
            {
                finalB = pb.Image.Pixels;
            }
        }

        Assert.Equal(alone[0], finalA);
        Assert.Equal(alone[1], finalB);
    }

    [Fact]
    public void A_run_without_a_seed_draws_no_number_from_the_global_generator()
    {
        using var network = MatConvNetVgg.Load(Fixtures.TinyVgg("tiny-vgg-current.mat"), PoolingMode.Max, "relu5_1");
        RgbImage content = ImageReader.Read(Fixtures.TinyVgg("content.png"));
        RgbImage style = ImageReader.Read(Fixtures.TinyVgg("style1.png"));
        manual_seed(7);
        float expected = rand(1).item<float>();
        manual_seed(7);
        var transfer = new StyleTransfer(network, Settings(null));
        _ = Final(transfer.Stylize(content, [style]));
        Assert.Equal(expected, rand(1).item<float>());
        Assert.True(transfer.Seed >= 0);
    }

    [Fact]
    public async Task Concurrent_jobs_write_the_files_they_write_alone()
    {
        using var temp = new TempDirectory();
        StyleJobSpec Spec(string name, long seed) => new()
        {
            Content = Fixtures.TinyVgg("content.png"),
            Styles = [Fixtures.TinyVgg("style1.png")],
            Network = Fixtures.TinyVgg("tiny-vgg-current.mat"),
            Output = temp.File(name),
            Scales = 2,
            MinSize = 16,
            CoarseIterations = 3,
            Settings = Settings(seed),
        };

        StyleJob.Run(Spec("a-alone.png", 21), JobContext.None);
        StyleJob.Run(Spec("b-alone.png", 22), JobContext.None);
        await Task.WhenAll(
            Task.Run(() => StyleJob.Run(Spec("a-together.png", 21), JobContext.None)),
            Task.Run(() => StyleJob.Run(Spec("b-together.png", 22), JobContext.None)));

        Assert.Equal(File.ReadAllBytes(temp.File("a-alone.png")), File.ReadAllBytes(temp.File("a-together.png")));
        Assert.Equal(File.ReadAllBytes(temp.File("b-alone.png")), File.ReadAllBytes(temp.File("b-together.png")));
        Assert.NotEqual(File.ReadAllBytes(temp.File("a-alone.png")), File.ReadAllBytes(temp.File("b-alone.png")));
    }

    [Fact]
    public void A_seeded_zoo_model_is_reproducible_and_leaves_the_global_generator_as_it_was()
    {
        manual_seed(7);
        float expected = rand(1).item<float>();
        manual_seed(7);
        using NeuralStyle.Zoo.ZooModel a = NeuralStyle.Zoo.ModelZoo.Create("lenet5-modern", new NeuralStyle.Zoo.ZooOptions(Seed: 3));
        Assert.Equal(expected, rand(1).item<float>());
        using NeuralStyle.Zoo.ZooModel b = NeuralStyle.Zoo.ModelZoo.Create("lenet5-modern", new NeuralStyle.Zoo.ZooOptions(Seed: 3));
        foreach ((string key, Tensor value) in a.state_dict())
        {
            Assert.True(value.equal(b.state_dict()[key]).all().item<bool>(), key);
        }
    }

    private static float[] Final(IEnumerable<TransferEvent> events) =>
        events.OfType<ImageProduced>().Single(p => p.IsFinal).Image.Pixels;
}
