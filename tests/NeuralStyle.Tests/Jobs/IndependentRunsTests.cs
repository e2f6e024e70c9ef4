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

    [Theory]
    [InlineData("resnet18")]
    [InlineData("googlenet")]
    [InlineData("lenet5")]
    [InlineData("enet")]
    public void A_seeded_zoo_model_owes_nothing_to_the_global_generator(string name)
    {
        manual_seed(1);
        using NeuralStyle.Zoo.ZooModel a = NeuralStyle.Zoo.ModelZoo.Create(name, new NeuralStyle.Zoo.ZooOptions(Seed: 3));
        manual_seed(2);
        using NeuralStyle.Zoo.ZooModel b = NeuralStyle.Zoo.ModelZoo.Create(name, new NeuralStyle.Zoo.ZooOptions(Seed: 3));
        Dictionary<string, Tensor> other = b.state_dict();
        foreach ((string key, Tensor value) in a.state_dict())
        {
            Assert.True(value.equal(other[key]).all().item<bool>(), key);
        }
    }

    [Fact]
    public void Dropout_in_training_draws_from_the_runs_generator()
    {
        using NeuralStyle.Zoo.ZooModel model = NeuralStyle.Zoo.ModelZoo.Create("squeezenet1_1", new NeuralStyle.Zoo.ZooOptions(Seed: 4));
        model.train();
        using Tensor input = randn(2, 3, 64, 64, generator: new Generator(9));
        Tensor Run(ulong seed, long global)
        {
            manual_seed(global);
            using var generator = new Generator(seed);
            using (NeuralStyle.Zoo.Blocks.ZooRandom.Use(generator))
            using (no_grad())
            {
                return model.call(input);
            }
        }

        using Tensor first = Run(5, 1), again = Run(5, 2), other = Run(6, 1);
        Assert.True(first.equal(again).all().item<bool>(), "the same generator seed must give the same dropout masks, whatever the global generator");
        Assert.False(first.equal(other).all().item<bool>(), "another seed must give other masks");
    }

    [Fact]
    public void No_code_in_src_seeds_LibTorchs_global_generator()
    {
        string src = Path.Combine(TorchvisionReference.RepositoryRoot, "src");
        string[] offenders = [.. Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("manual_seed(", StringComparison.Ordinal))];
        Assert.Empty(offenders);
    }

    private static float[] Final(IEnumerable<TransferEvent> events) =>
        events.OfType<ImageProduced>().Single(p => p.IsFinal).Image.Pixels;
}
