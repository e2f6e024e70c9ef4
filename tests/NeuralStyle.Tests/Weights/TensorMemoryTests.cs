using NeuralStyle.Weights;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>The readers' window into a tensor's memory, for tensors below and above the 2 GiB a span can reach.</summary>
public class TensorMemoryTests
{
    [Fact]
    public void WindowOfASmallTensorWritesItsElements()
    {
        using Tensor t = zeros(10, ScalarType.Float32);
        BitConverter.GetBytes(2.5f).CopyTo(TensorMemory.Window(t, 12, 4, 4));
        Assert.Equal(2.5f, t[3].item<float>());
    }

    [Fact]
    public void WindowPastTwoGibibytesWritesTheRightElements()
    {
        // 600 M float32 = 2.4 GB: a span over all of it cannot exist. empty() maps pages lazily, so only the windows
        // written here become resident.
        const long count = 600_000_000;
        using Tensor t = empty(count, ScalarType.Float32);
        long[] elements = [0, 536_870_911, 536_870_912, count - 1];
        foreach (long e in elements)
        {
            BitConverter.GetBytes((float)(e % 1000) + 0.5f).CopyTo(TensorMemory.Window(t, e * 4, 4, 4));
        }

        foreach (long e in elements)
        {
            Assert.Equal((float)(e % 1000) + 0.5f, t[e].item<float>());
        }
    }
}
