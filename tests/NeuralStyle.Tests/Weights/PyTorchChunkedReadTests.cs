using System.Diagnostics;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.PyTorch;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>
/// Storages larger than the readers' 4 MiB read chunk, in both torch.save layouts, come back exactly: the readers
/// read each chunk straight into the tensor's memory at its offset (issue 13), which the small fixtures never span.
/// </summary>
public sealed class PyTorchChunkedReadTests
{
    // 1,500,001 float32 (about 5.7 MiB) and 700,003 float64 (about 5.3 MiB): both over one chunk, neither a whole number of chunks.
    private const long Floats = 1_500_001;
    private const long Doubles = 700_003;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Storages_over_one_chunk_are_read_whole(bool zip)
    {
        using var temp = new TempDirectory();
        string path = temp.File("chunked.pth");
        Save(path, zip);

        IReadOnlyDictionary<string, Tensor> state = PyTorchCheckpoint.Read(path);
        using Tensor w = state["w"], d = state["d"];
        using Tensor expectedW = arange(Floats, ScalarType.Float32);
        using Tensor expectedD = arange(Doubles, ScalarType.Float64).mul(0.5);
        Assert.Equal(ScalarType.Float32, w.dtype);
        Assert.Equal(ScalarType.Float64, d.dtype);
        Assert.Equal([Floats], w.shape);
        Assert.Equal([Doubles], d.shape);
        Assert.True(expectedW.eq(w).all().item<bool>(), "the float32 values differ");
        Assert.True(expectedD.eq(d).all().item<bool>(), "the float64 values differ");
    }

    private static void Save(string path, bool zip)
    {
        const string Script = "import sys, torch\n"
            + "torch.save({'w': torch.arange(int(sys.argv[2]), dtype=torch.float32),"
            + " 'd': torch.arange(int(sys.argv[3]), dtype=torch.float64) * 0.5},"
            + " sys.argv[1], _use_new_zipfile_serialization=sys.argv[4] == 'zip')\n";
        var start = new ProcessStartInfo(TorchvisionReference.Python) { RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-c", Script, path, $"{Floats}", $"{Doubles}", zip ? "zip" : "legacy" })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("python3 could not be started");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"torch.save failed: {errors}");
    }
}
