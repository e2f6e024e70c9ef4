using System.IO.Compression;
using NeuralStyle.Backbones;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.MatConvNet;
using NeuralStyle.Weights.Onnx;
using NeuralStyle.Weights.PyTorch;
using NeuralStyle.Transfer;
using Xunit;
using static NeuralStyle.Tests.Onnx.ProtoModels;

namespace NeuralStyle.Tests.Weights;

/// <summary>A network file holding NaN or infinity is refused when it is loaded, naming the layer.</summary>
public class NonFiniteWeightsTests
{
    private static readonly string TinyVgg = Fixtures.TinyVgg("tiny-vgg-current.mat");

    // The tiny VGG with its compressed elements inflated, one value of a layer's kernel replaced by the bits given.
    internal static string DamagedMat(TempDirectory temp, string layer, Func<uint, uint> damage)
    {
        MatConvNetLayer target = MatConvNetFile.Read(TinyVgg).Layers.Single(l => l.Name == layer);
        byte[] data = UncompressedMat.Inflate(File.ReadAllBytes(TinyVgg));
        int at = UncompressedMat.Find(data, target.Kernel.AsSpan(0, 8)) + (4 * 3);
        uint bits = BitConverter.ToUInt32(data, at);
        BitConverter.GetBytes(damage(bits)).CopyTo(data, at);
        string path = temp.File($"damaged-{layer}.mat");
        File.WriteAllBytes(path, data);
        return path;
    }

    [Fact]
    public void The_inflated_copy_is_still_the_same_network()
    {
        // The damage tests below are only meaningful if the rewritten file reads like the original.
        using var temp = new TempDirectory();
        string copy = DamagedMat(temp, "conv1_1", bits => bits);
        MatConvNetFile a = MatConvNetFile.Read(TinyVgg), b = MatConvNetFile.Read(copy);
        Assert.Equal(a.Layers.Select(l => l.Name), b.Layers.Select(l => l.Name));
        Assert.Equal(a.Layers.Where(l => l.Kernel is not null).SelectMany(l => l.Kernel!), b.Layers.Where(l => l.Kernel is not null).SelectMany(l => l.Kernel!));
    }

    [Fact]
    public void A_nan_in_a_mat_kernel_is_refused_with_the_layer()
    {
        using var temp = new TempDirectory();
        string path = DamagedMat(temp, "conv2_1", _ => 0x7FC00000);
        var e = Assert.Throws<NetworkFormatException>(() => MatConvNetVgg.Load(path, PoolingMode.Max));
        Assert.Contains("layer 'conv2_1', weights: 1 of", e.Message);
        Assert.Contains("values is not finite or beyond ±1e20 (NaN at index ", e.Message);
        Assert.Contains("corrupt", e.Message);

        CliRun run = CliRun.Invoke("--content", Fixtures.TinyVgg("content.png"), "--styles", Fixtures.TinyVgg("style1.png"), "--network", path,
            "--output", temp.File("o.png"), "--iterations", "2");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("neural-style: error: ", run.ErrorLines.Single());
        Assert.Contains("conv2_1", run.ErrorLines.Single());
    }

    [Fact]
    public void A_flipped_exponent_bit_is_refused_at_load()
    {
        // One bit flipped on disk (the exponent's highest) turns a small weight into about 1e37: still finite, and
        // before, the run printed nan losses and wrote a black picture with exit 0.
        using var temp = new TempDirectory();
        string path = DamagedMat(temp, "conv1_1", bits => bits ^ 0x40000000);
        CliRun run = CliRun.Invoke("--content", Fixtures.TinyVgg("content.png"), "--styles", Fixtures.TinyVgg("style1.png"), "--network", path,
            "--output", temp.File("o.png"), "--iterations", "4");
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^neural-style: error: .*damaged-conv1_1\.mat: layer 'conv1_1', weights: 1 of \d+ values is not finite or beyond ±1e20 \(-?\d\.\d+E\+3\d at index \d+\): the file is corrupt", run.ErrorLines.Single());
    }

    [Fact]
    public void An_infinite_onnx_weight_is_refused_with_its_initializer()
    {
        float[] weights = [.. Enumerable.Repeat(0.5f, 2 * 2 * 3 * 3)];
        using (OnnxGraph fine = Build(Model([Node("Conv", ["x", "w"], ["y"], "conv1")], [Floats("w", [2, 2, 3, 3], weights)]), "fine.onnx"))
        {
            Assert.Single(fine.Nodes);
        }

        weights[7] = float.NegativeInfinity;
        var e = Assert.Throws<OnnxFormatException>(() => Build(Model([Node("Conv", ["x", "w"], ["y"], "conv1")], [Floats("w", [2, 2, 3, 3], weights)]), "damaged.onnx"));
        Assert.Contains("damaged.onnx: initializer 'w' (Conv node 'conv1'): 1 of 36 values is not finite or beyond ±1e20 (-infinity at index 7)", e.Message);
    }

    [Fact]
    public void A_nan_in_a_pytorch_state_dict_is_refused_with_its_key()
    {
        using var temp = new TempDirectory();
        string path = temp.File("damaged.pth");
        using (ZipArchive source = ZipFile.OpenRead(Path.Combine(Fixtures.Root, "pytorch", "tiny_net.pth")))
        using (ZipArchive target = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach (ZipArchiveEntry entry in source.Entries)
            {
                using var bytes = new MemoryStream();
                using (Stream s = entry.Open())
                {
                    s.CopyTo(bytes);
                }

                byte[] data = bytes.ToArray();
                if (entry.FullName.EndsWith("/data/0", StringComparison.Ordinal))
                {
                    BitConverter.GetBytes(float.NaN).CopyTo(data, 4 * 5);
                }

                using Stream written = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                written.Write(data);
            }
        }

        using var net = new TinyNet();
        var e = Assert.Throws<PyTorchFormatException>(() => PyTorchCheckpoint.LoadInto(net, path));
        Assert.Contains("'conv.weight': 1 of", e.Message);
        Assert.Contains("NaN at index 5", e.Message);
    }
}
