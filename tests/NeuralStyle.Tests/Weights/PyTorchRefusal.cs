using System.Diagnostics;
using NeuralStyle.Weights.PyTorch;
using Xunit;

namespace NeuralStyle.Tests.Weights;

/// <summary>What every doctored torch.save file (zip or legacy) must get: a quick refusal, without a large allocation, in one line naming the file.</summary>
internal static class PyTorchRefusal
{
    /// <summary>Reads <paramref name="path"/>, expects the refusal and returns its message.</summary>
    public static string Refused(string path)
    {
        var clock = Stopwatch.StartNew();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = Assert.Throws<PyTorchFormatException>(() => PyTorchCheckpoint.Read(path));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 16 << 20, "a doctored file caused a large allocation");
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }
}
