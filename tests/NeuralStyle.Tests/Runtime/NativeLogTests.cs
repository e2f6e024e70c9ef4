using System.Runtime.InteropServices;
using NeuralStyle.Runtime;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Runtime;

/// <summary>LibTorch's own log lines: warnings silenced at the source by default, brought back on request, errors untouched.</summary>
public class NativeLogTests
{
    [Fact]
    public void Warnings_are_silenced_at_the_source_and_come_back_at_the_warning_level()
    {
        Assert.Equal(NativeLogLevel.Default, LibTorchNative.LogLevel);

        // stft and istft without a window each warn once per process (TORCH_WARN_ONCE, through c10 logging): each is
        // called here for the first time, so each would print if its level let it.
        LibTorchNative.LogLevel = 1;
        try
        {
            string loud = CaptureStandardError(() => _ = stft(ones(64), 16, return_complex: true));
            Assert.Contains("A window was not provided", loud, StringComparison.Ordinal);
        }
        finally
        {
            LibTorchNative.LogLevel = NativeLogLevel.Default;
        }

        string quiet = CaptureStandardError(() => _ = istft(stft(ones(64), 16, window: hann_window(16), return_complex: true), 16));
        Assert.Equal("", quiet);
    }

    [Theory]
    [InlineData("INFO", 0)]
    [InlineData("warning", 1)]
    [InlineData(" ERROR ", 2)]
    [InlineData("3", 3)]
    [InlineData("FATAL", 3)]
    [InlineData("loud", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void TORCH_CPP_LOG_LEVEL_values_are_read_like_PyTorch(string? value, int? level) =>
        Assert.Equal(level, NativeLogLevel.Parse(value));

    // Native code writes to file descriptor 2 directly, not through Console.Error: swap the descriptor itself.
    private static string CaptureStandardError(Action action)
    {
        string path = Path.GetTempFileName();
        try
        {
            int saved = Dup(2);
            Assert.True(saved >= 0);
            using (FileStream file = File.OpenWrite(path))
            {
                Assert.True(Dup2((int)file.SafeFileHandle.DangerousGetHandle(), 2) >= 0);
                try
                {
                    using var scope = NewDisposeScope();
                    action();
                }
                finally
                {
                    Dup2(saved, 2);
                    Close(saved);
                }
            }

            return File.ReadAllText(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [DllImport("libc", EntryPoint = "dup")]
    private static extern int Dup(int fd);

    [DllImport("libc", EntryPoint = "dup2")]
    private static extern int Dup2(int fd, int target);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
