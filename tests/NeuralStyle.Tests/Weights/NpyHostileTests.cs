using System.Diagnostics;
using System.Text;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Npy;
using Xunit;

namespace NeuralStyle.Tests.Weights;

/// <summary>Hand-made headers that lie or are malformed: each must be refused quickly, before any large allocation.</summary>
public sealed class NpyHostileTests
{
    private static byte[] File(string header, int dataBytes, byte major = 1)
    {
        byte[] text = Encoding.UTF8.GetBytes(header + "\n");
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        bytes.AddRange(major == 1 ? BitConverter.GetBytes((ushort)text.Length) : BitConverter.GetBytes((uint)text.Length));
        bytes.AddRange(text);
        bytes.AddRange(new byte[dataBytes]);
        return [.. bytes];
    }

    private static NpyFormatException Rejected(byte[] bytes)
    {
        using var temp = new TempDirectory();
        string path = temp.File("hostile.npy");
        System.IO.File.WriteAllBytes(path, bytes);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<NpyFormatException>(() => NpyFile.Read(path));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 1 << 20, "a hostile header caused a large allocation");
        Assert.StartsWith(path + ": ", e.Message);
        return e;
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }", "needs more data")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }", "needs more data")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", "too large")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 2), }", "negative")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", "needs 12 bytes of data, the file has 16")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", "needs more data")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, }", "no 'shape'")]
    [InlineData("{'descr': '<f4', 'fortran_order': 0, 'shape': (4,), }", "unexpected character '0'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'extra': 1, }", "unexpected character")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'shape': (4,), }", "appears twice")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4,) } trailing", "after the dictionary")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4,", "not an integer")]
    [InlineData("__import__('os').system('true')", "'{' expected")]
    public void Lying_or_malformed_headers_are_refused(string header, string problem)
    {
        NpyFormatException e = Rejected(File(header, dataBytes: 16));
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Lengths_and_magic_are_checked()
    {
        string ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }";
        byte[] good = File(ok, 16);
        Assert.Contains("too few", Rejected(good[..9]).Message);
        Assert.Contains("runs past the end", Rejected(good[..40]).Message);
        Assert.Contains("too few", Rejected(good[..5]).Message);
        Assert.Contains("needs more data than the file's 15 bytes", Rejected(good[..^1]).Message);
        byte[] magic = [.. good];
        magic[1] = (byte)'X';
        Assert.Contains("magic", Rejected(magic).Message);
        byte[] version = [.. good];
        version[6] = 4;
        Assert.Contains("version 4.0", Rejected(version).Message);
        byte[] longHeader = [.. good];
        longHeader[8] = 0xFF;
        longHeader[9] = 0xFF;
        Assert.Contains("exceeds", Rejected(longHeader).Message);
        byte[] v2 = File(ok, 16, major: 2);
        v2[8] = 0x00;
        v2[9] = 0x01;
        Assert.Contains("runs past the end", Rejected(v2).Message);
        byte[] v3 = File("{'descr': 'é', 'fortran_order': False, 'shape': (4,), }", 16, major: 3);
        Corrupt(v3);
        Assert.Contains("UTF-8", Rejected(v3).Message);
    }

    /// <summary>Turns the 'é' of a version 3 header into an invalid UTF-8 sequence.</summary>
    private static void Corrupt(byte[] bytes)
    {
        int at = Array.IndexOf(bytes, (byte)0xC3);
        bytes[at + 1] = 0x28;
    }

    [Fact]
    public void A_valid_hand_made_file_is_read()
    {
        using var temp = new TempDirectory();
        string path = temp.File("ok.npy");
        byte[] bytes = File("{\"descr\": \"<f4\", \"shape\": (2L,), \"fortran_order\": False}", 8);
        BitConverter.GetBytes(1.5f).CopyTo(bytes, bytes.Length - 8);
        BitConverter.GetBytes(-2f).CopyTo(bytes, bytes.Length - 4);
        System.IO.File.WriteAllBytes(path, bytes);

        NpyArray array = NpyFile.Read(path);

        Assert.Equal(new long[] { 2 }, array.Shape);
        Assert.Equal(new[] { 1.5f, -2f }, array.Data);
    }
}
