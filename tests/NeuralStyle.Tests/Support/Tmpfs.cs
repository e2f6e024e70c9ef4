using System.Diagnostics;
using Xunit;

namespace NeuralStyle.Tests.Support;

/// <summary>A small tmpfs mounted for one test (the tests run as root), to make a disk fill up or refuse writes.</summary>
/// <remarks>If it cannot be mounted the test fails and says why; it is always unmounted when disposed.</remarks>
public sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public static Tmpfs Mount(string directory, long bytes, bool readOnly = false)
    {
        Directory.CreateDirectory(directory);
        string options = $"size={bytes}" + (readOnly ? ",ro" : "");
        (int code, string error) = Tool("mount", ["-t", "tmpfs", "-o", options, "tmpfs", directory]);
        Assert.True(code == 0, $"cannot mount a tmpfs ({options}) at {directory}: {error.Trim()} (this test needs root and mount(8); CI runs as root)");
        return new Tmpfs(directory);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Resize(long bytes)
    {
        (int code, string error) = Tool("mount", ["-o", $"remount,size={bytes}", Path]);
        Assert.True(code == 0, $"cannot remount {Path}: {error.Trim()}");
    }

    /// <summary>Writes a filler file so that only about <paramref name="leaveBytes"/> stay free.</summary>
    public void Fill(long leaveBytes)
    {
        long fill = new DriveInfo(Path).AvailableFreeSpace - leaveBytes;
        byte[] block = new byte[64 * 1024];
        using var filler = new FileStream(File("filler"), FileMode.CreateNew, FileAccess.Write);
        for (long written = 0; written < fill; written += block.Length)
        {
            // Real bytes: a sparse file (SetLength) would take no room on a tmpfs.
            filler.Write(block, 0, (int)Math.Min(block.Length, fill - written));
        }
    }

    public static long Pages(long bytes) => (bytes + Environment.SystemPageSize - 1) / Environment.SystemPageSize * Environment.SystemPageSize;

    public void Dispose()
    {
        (int code, string error) = Tool("umount", [Path]);
        Assert.True(code == 0, $"cannot unmount {Path}: {error.Trim()}");
    }

    private static (int Code, string Error) Tool(string name, string[] args)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using Process process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
