using NeuralStyle.Tests.Support;
using Xunit;

namespace NeuralStyle.Tests.Cli;

/// <summary>The library's own exceptions reach the user as one line, never as a stack trace.</summary>
public class LibraryErrorTests
{
    [Fact]
    public void An_onnx_model_that_cannot_run_on_the_image_is_one_line_and_exit_1()
    {
        // conv.onnx takes 4 channels; the images have 3. Its evaluation error used to escape as InvalidOperationException.
        using var temp = new TempDirectory();
        CliRun run = CliRun.Invoke("--network", Path.Combine(Fixtures.Root, "onnx", "conv.onnx"), "--content", Fixtures.TinyVgg("content.png"),
            "--styles", Fixtures.TinyVgg("style1.png"), "--content-layers", "valid", "--style-layers", "valid", "--iterations", "2", "--output", temp.File("o.png"));
        Assert.Equal(1, run.ExitCode);
        // Our two first lines, then one error line naming the node and LibTorch's reason, without its C++ backtrace.
        Assert.StartsWith("Network: ONNX model conv.onnx", run.ErrorLines[0], StringComparison.Ordinal);
        string line = Assert.Single(run.ErrorLines, l => l.StartsWith("neural-style: error:", StringComparison.Ordinal));
        Assert.Equal(2, run.ErrorLines.Length);
        // The node the layers in use need (the size probe runs only those; the memory estimate used to run every node).
        Assert.Contains("conv.onnx: node 3 'conv_valid' (Conv", line, StringComparison.Ordinal);
        Assert.EndsWith("to have 4 channels, but got 3 channels instead", line, StringComparison.Ordinal);
    }
}
