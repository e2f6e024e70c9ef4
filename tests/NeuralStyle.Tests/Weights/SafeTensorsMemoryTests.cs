using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.SafeTensors;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>A 64 MB file is read into its tensors without a managed copy of its data (issue 13: never the whole file twice in memory).</summary>
public sealed class SafeTensorsMemoryTests
{
    [Fact]
    public void A_64_MB_file_is_written_and_read_with_a_few_MiB_of_managed_allocation()
    {
        using var temp = new TempDirectory();
        string path = temp.File("big.safetensors");
        const long Elements = 16L << 20; // 64 MiB of float32
        long written, read;
        using (Tensor values = arange(Elements, ScalarType.Float32).reshape(4096, 4096))
        using (Tensor bias = arange(4096, ScalarType.Float64))
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { ["w"] = values, ["b"] = bias });
            written = GC.GetTotalAllocatedBytes(precise: true) - before;
        }

        Assert.True(new FileInfo(path).Length > Elements * 4);
        long start = GC.GetTotalAllocatedBytes(precise: true);
        IReadOnlyDictionary<string, Tensor> tensors = SafeTensorsFile.Read(path);
        read = GC.GetTotalAllocatedBytes(precise: true) - start;
        using Tensor w = tensors["w"], b = tensors["b"];

        // The file's 64 MiB would show here if the reader held it in a byte[] (once or twice); it reads into the tensors.
        Assert.True(read < 4L << 20, $"reading allocated {read >> 10} KiB of managed memory");
        Assert.True(written < 4L << 20, $"writing allocated {written >> 10} KiB of managed memory");
        Assert.Equal([4096L, 4096L], w.shape);
        Assert.Equal(ScalarType.Float32, w.dtype);
        Assert.Equal(Elements - 1, w[4095, 4095].item<float>());
        Assert.Equal(1_000_000f, w[244, 576].item<float>());
        using Tensor expected = arange(Elements, ScalarType.Float32).reshape(4096, 4096);
        Assert.True(expected.eq(w).all().item<bool>(), "the values differ");
        Assert.Equal(4095.0, b[4095].item<double>());
    }
}
