using System.Globalization;
using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Jobs;

/// <summary>
/// The README's promise: with the same --seed and --threads 1, the output is identical. Checked in separate processes
/// (the kernel configuration is per process) in both configurations the guard can choose, on the VGG path at a size
/// where LibTorch dispatches the convolutions to oneDNN (above 20480 output elements).
/// </summary>
public class RepeatableRunTests
{
    private static byte[] Run(TempDirectory temp, string name, string oneDnn, int threads)
    {
        string output = temp.File(name);
        (int code, _, string stderr) = CliProcess.Run(
            new Dictionary<string, string> { ["NEURALSTYLE_ONEDNN"] = oneDnn },
            "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"),
            "--width", "128", "--iterations", "8", "--scales", "2", "--min-size", "64", "--coarse-iterations", "4", "--seed", "7",
            "--threads", threads.ToString(CultureInfo.InvariantCulture), "--output", output);
        Assert.True(code == 0, stderr);
        return File.ReadAllBytes(output);
    }

    [Theory]
    // One thread only: at two threads the bytes differed in about one run in six on the Xeon (oneDNN on; seen in CI),
    // so the README promises identical output for --threads 1 alone (issue 11's note: not solved).
    [InlineData("auto", 1)]
    [InlineData("off", 1)]
    public void The_same_seed_and_thread_count_give_the_same_bytes(string oneDnn, int threads)
    {
        using var temp = new TempDirectory();
        byte[] first = Run(temp, "a.png", oneDnn, threads), second = Run(temp, "b.png", oneDnn, threads);
        Assert.Equal(first, second);

        // The comparison can fail: another seed gives another picture.
        string other = temp.File("c.png");
        Assert.Equal(0, CliProcess.Run(
            "--network", Fixtures.TinyVgg("tiny-vgg-current.mat"), "--content", Fixtures.Example("chelsea.png"), "--styles", Fixtures.Example("brick.png"),
            "--width", "128", "--iterations", "8", "--scales", "2", "--min-size", "64", "--coarse-iterations", "4", "--seed", "8",
            "--threads", threads.ToString(CultureInfo.InvariantCulture), "--output", other).Code);
        Assert.NotEqual(first, File.ReadAllBytes(other));
    }
}
