using NeuralStyle.Tests.Support;
using NeuralStyle.Weights;
using NeuralStyle.Weights.PyTorch;
using NeuralStyle.Weights.SafeTensors;
using NeuralStyle.Zoo;
using Xunit;
using static NeuralStyle.Tests.Weights.PyTorchReadTests;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>StateDictFile: the format is told by content, and every format loads by the same strict rules.</summary>
public sealed class StateDictFileTests
{
    [Theory]
    [InlineData("pytorch/tiny_net.pth", StateDictFormat.TorchZip)]
    [InlineData("pytorch/legacy/tiny_net.pth", StateDictFormat.TorchLegacy)]
    [InlineData("pytorch/legacy/lenet5_modern.pth", StateDictFormat.TorchLegacy)]
    [InlineData("safetensors/mixed.safetensors", StateDictFormat.SafeTensors)]
    public void The_format_is_told_by_the_first_bytes(string fixture, StateDictFormat expected) =>
        Assert.Equal(expected, StateDictFile.Detect(Path.Combine(Fixtures.Root, fixture)));

    [Theory]
    [InlineData("tiny_net.pth")]
    [InlineData("tiny_net_f64.pth")]
    [InlineData("legacy/tiny_net.pth")]
    public void A_safetensors_copy_under_a_torch_name_loads_the_same_weights(string fixture)
    {
        using var temp = new TempDirectory();
        // Named .pth on purpose: the extension must not decide the format.
        string copy = temp.File("weights.pth");
        WriteSafeTensorsCopy(Fixture(fixture), copy);
        Assert.Equal(StateDictFormat.SafeTensors, StateDictFile.Detect(copy));

        using var fromTorch = new TinyNet();
        using var fromSafeTensors = new TinyNet();
        StateDictFile.LoadInto(fromTorch, Fixture(fixture));
        StateDictFile.LoadInto(fromSafeTensors, copy);

        Dictionary<string, Tensor> expected = fromTorch.state_dict(), actual = fromSafeTensors.state_dict();
        Assert.Equal(expected.Keys, actual.Keys);
        foreach ((string key, Tensor value) in expected)
        {
            Assert.Equal(value.dtype, actual[key].dtype);
            Assert.True(value.shape.SequenceEqual(actual[key].shape) && value.eq(actual[key]).all().item<bool>(), $"{key} differs");
        }

        Assert.Equal(3, actual["bn.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void A_torch_file_under_a_safetensors_name_loads()
    {
        using var temp = new TempDirectory();
        string renamed = temp.File("model.safetensors");
        File.Copy(Path.Combine(Fixtures.Root, "pytorch", "legacy", "lenet5_modern.pth"), renamed);
        using ZooModel model = ModelZoo.Create("lenet5-modern");
        StateDictFile.LoadInto(model, renamed);
        IReadOnlyDictionary<string, Tensor> saved = PyTorchCheckpoint.Read(renamed);
        try
        {
            foreach ((string key, Tensor value) in model.state_dict())
            {
                Assert.True(value.shape.SequenceEqual(saved[key].shape) && value.eq(saved[key].to(value.dtype)).all().item<bool>(), $"{key} differs");
            }
        }
        finally
        {
            Dispose(saved);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 2, 3, 4 }, "47 49 46 38 39 61 01 02")]
    // A plausible '{' at byte 8 but a header length larger than the file.
    [InlineData(new byte[] { 0xFF, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}' }, "FF 00 00 00 00 00 00 00")]
    // JSON text: its first 8 bytes read as a header length far beyond the file.
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'1', (byte)',', (byte)' ', (byte)'{', (byte)'}' }, "7B 22 61 22 3A 31 2C 20")]
    public void Other_content_is_one_error_naming_the_file_and_the_formats(byte[] content, string shown)
    {
        using var temp = new TempDirectory();
        string path = temp.File("weights.safetensors");
        File.WriteAllBytes(path, content);
        using var net = new TinyNet();
        WeightsFormatException e = Assert.Throws<WeightsFormatException>(() => StateDictFile.LoadInto(net, path));
        Assert.StartsWith(path + ": not a weights file", e.Message);
        Assert.Contains($"starts with bytes {shown}", e.Message);
        Assert.Contains("torch.save (zip or legacy format) or a safetensors file", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_empty_file_is_named_as_empty()
    {
        using var temp = new TempDirectory();
        string path = temp.File("empty.pth");
        File.WriteAllBytes(path, []);
        WeightsFormatException e = Assert.Throws<WeightsFormatException>(() => StateDictFile.Read(path));
        Assert.StartsWith(path + ": the file is empty", e.Message);
    }

    [Fact]
    public void A_truncated_safetensors_file_gets_the_readers_own_error()
    {
        using var temp = new TempDirectory();
        string whole = temp.File("whole.safetensors"), cut = temp.File("cut.safetensors");
        WriteSafeTensorsCopy(Fixture("tiny_net.pth"), whole);
        byte[] bytes = File.ReadAllBytes(whole);
        File.WriteAllBytes(cut, bytes[..^4]);
        Assert.Equal(StateDictFormat.SafeTensors, StateDictFile.Detect(cut));
        SafeTensorsFormatException e = Assert.Throws<SafeTensorsFormatException>(() => StateDictFile.Read(cut));
        Assert.StartsWith(cut + ":", e.Message);
    }

    [Fact]
    public void A_safetensors_file_is_loaded_strictly()
    {
        using var temp = new TempDirectory();
        string path = temp.File("partial.safetensors");
        IReadOnlyDictionary<string, Tensor> saved = PyTorchCheckpoint.Read(Fixture("tiny_net.pth"));
        try
        {
            var changed = saved.Where(p => p.Key != "conv.weight").ToDictionary(p => p.Key, p => p.Value);
            changed["head.weight"] = saved["fc.weight"];
            SafeTensorsWriter.Write(path, changed);
        }
        finally
        {
            Dispose(saved);
        }

        using var net = new TinyNet();
        SafeTensorsFormatException e = Assert.Throws<SafeTensorsFormatException>(() => StateDictFile.LoadInto(net, path));
        Assert.StartsWith(path + ": the state dict does not match the TinyNet module", e.Message);
        Assert.Contains("1 missing key: conv.weight", e.Message);
        Assert.Contains("1 unexpected key: head.weight", e.Message);

        // Not strict: the unexpected key is ignored, the missing one keeps its initial value, the rest load.
        using var lenient = new TinyNet();
        StateDictFile.LoadInto(lenient, path, strict: false);
        Assert.Equal(3, lenient.state_dict()["bn.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void A_shape_mismatch_in_a_safetensors_file_is_listed()
    {
        using var temp = new TempDirectory();
        string path = temp.File("shapes.safetensors");
        WriteSafeTensorsCopy(Fixture("tiny_net.pth"), path);
        using var wider = new TinyNet(width: 6);
        SafeTensorsFormatException e = Assert.Throws<SafeTensorsFormatException>(() => StateDictFile.LoadInto(wider, path, strict: false));
        Assert.Contains("conv.weight (module [6, 3, 3, 3], file [4, 3, 3, 3])", e.Message);
    }

    internal static void WriteSafeTensorsCopy(string torchFile, string safeTensorsFile)
    {
        IReadOnlyDictionary<string, Tensor> saved = PyTorchCheckpoint.Read(torchFile);
        try
        {
            SafeTensorsWriter.Write(safeTensorsFile, saved);
        }
        finally
        {
            Dispose(saved);
        }
    }

    private static void Dispose(IReadOnlyDictionary<string, Tensor> tensors)
    {
        foreach (Tensor t in tensors.Values)
        {
            t.Dispose();
        }
    }
}
