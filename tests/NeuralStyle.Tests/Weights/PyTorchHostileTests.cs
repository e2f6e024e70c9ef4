using System.IO.Compression;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.PyTorch;
using Xunit;
using static NeuralStyle.Tests.Weights.PyTorchRefusal;
using static NeuralStyle.Tests.Weights.PyTorchReadTests;

namespace NeuralStyle.Tests.Weights;

/// <summary>Checkpoints doctored after torch saved them: each must be refused quickly with a message naming the problem.</summary>
public sealed class PyTorchHostileTests
{
    /// <summary>A copy of <paramref name="fixture"/> with entry <paramref name="suffix"/> replaced by what <paramref name="change"/> makes of it.</summary>
    private static string Doctored(TempDirectory temp, string fixture, string suffix, Func<byte[], byte[]> change)
    {
        string path = temp.File($"doctored-{Guid.NewGuid():N}-{fixture}");
        File.Copy(Fixture(fixture), path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            ZipArchiveEntry entry = zip.Entries.Single(e => e.FullName.EndsWith(suffix, StringComparison.Ordinal));
            byte[] bytes;
            using (var s = new MemoryStream())
            {
                using (Stream open = entry.Open())
                {
                    open.CopyTo(s);
                }

                bytes = change(s.ToArray());
            }

            string name = entry.FullName;
            entry.Delete();
            using Stream write = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            write.Write(bytes);
        }

        return path;
    }

    [Fact]
    public void A_storage_shorter_than_its_tensors_is_refused()
    {
        using var temp = new TempDirectory();
        string path = Doctored(temp, "views.pth", "data/0", b => b[..^8]);

        Assert.Contains("storage '0' declares 24 elements of 4 bytes, its entry holds 88 bytes", Refused(path));
    }

    [Fact]
    public void A_view_beyond_its_storage_is_refused()
    {
        using var temp = new TempDirectory();
        // Every tensor's persistent id repeats the storage's size (after 'cpu', memo 6: numel 24 as BININT1 0x18).
        // Shrunk to 20 everywhere, the views reach past it; shrunk once, the storage is declared inconsistently.
        byte[] find = [0x06, 0x4B, 0x18, 0x74], with = [0x06, 0x4B, 0x14, 0x74];
        string everywhere = Doctored(temp, "views.pth", "data.pkl", b => Replace(b, find, with, all: true));
        string message = Refused(everywhere);
        Assert.True(message.Contains("tensor 'column' (size [4], stride [6], offset 2) reaches element 20 of a storage of 20", StringComparison.Ordinal), message);

        string once = Doctored(temp, "views.pth", "data.pkl", b => Replace(b, find, with, all: false));
        Assert.Contains("storage '0' is declared twice with different types or sizes", Refused(once));
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x02, 0x7D, 0x71, 0x00 }, "ends without STOP")]
    [InlineData(new byte[] { 0x80, 0x02, 0x63, 0x6F, 0x73, 0x0A, 0x73, 0x79, 0x73, 0x74, 0x65, 0x6D, 0x0A, 0x2E }, "holds the global os.system")]
    [InlineData(new byte[] { 0x80, 0x02, 0x58, 0xFF, 0xFF, 0xFF, 0x7F, 0x2E }, "2147483647 bytes are needed")]
    [InlineData(new byte[] { 0x80, 0x02, 0x8B, 0xFF, 0xFF, 0xFF, 0xFF, 0x2E }, "length -1 is out of range")]
    [InlineData(new byte[] { 0x80, 0x02, 0x68, 0x05, 0x2E }, "memo entry 5")]
    [InlineData(new byte[] { 0x80, 0x02, 0x73, 0x2E }, "2 values are needed")]
    [InlineData(new byte[] { 0x80, 0x02, 0x49, 0x31, 0x0A, 0x2E }, "opcode 'I' is not supported")]
    [InlineData(new byte[] { 0x80, 0x09, 0x2E }, "protocol 9")]
    [InlineData(new byte[] { 0x80, 0x02, 0x29, 0x51, 0x2E }, "persistent id")]
    [InlineData(new byte[] { 0x80, 0x02, 0x7D, 0x29, 0x2E }, "stops with 2 values")]
    public void Corrupt_pickles_are_refused(byte[] pickle, string problem)
    {
        using var temp = new TempDirectory();
        string path = Doctored(temp, "tiny_net.pth", "data.pkl", _ => pickle);

        Assert.Contains(problem, Refused(path));
    }

    [Fact]
    public void Truncated_empty_and_foreign_files_are_refused()
    {
        using var temp = new TempDirectory();
        byte[] bytes = File.ReadAllBytes(Fixture("tiny_net.pth"));
        foreach (int length in new[] { bytes.Length - 1, bytes.Length - 30, bytes.Length / 2, 200, 10, 4 })
        {
            string path = temp.File($"truncated-{length}.pth");
            File.WriteAllBytes(path, bytes[..length]);
            Refused(path);
        }

        File.WriteAllBytes(temp.File("empty.pth"), []);
        Assert.Contains("empty", Refused(temp.File("empty.pth")));
        File.WriteAllBytes(temp.File("pickle.pth"), [0x80, 0x02, 0x4E, 0x2E]);
        Assert.Contains("bare pickle", Refused(temp.File("pickle.pth")));
        using (var zip = ZipFile.Open(temp.File("other.zip"), ZipArchiveMode.Create))
        {
            zip.CreateEntry("readme.txt");
        }

        Assert.Contains("no NAME/data.pkl", Refused(temp.File("other.zip")));
    }

    [Fact]
    public void Big_endian_checkpoints_are_refused()
    {
        using var temp = new TempDirectory();
        string path = temp.File("big.pth");
        File.Copy(Fixture("tiny_net.pth"), path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            using var w = new StreamWriter(zip.CreateEntry("tiny_net/byteorder").Open());
            w.Write("big");
        }

        Assert.Contains("only little-endian", Refused(path));
    }

    private static byte[] Replace(byte[] data, byte[] find, byte[] with, bool all)
    {
        byte[] result = [.. data];
        int count = 0;
        for (int at = result.AsSpan().IndexOf(find); at >= 0; at = result.AsSpan(at + 1).IndexOf(find) is int next and >= 0 ? at + 1 + next : -1)
        {
            with.CopyTo(result, at);
            count++;
            if (!all)
            {
                break;
            }
        }

        Assert.True(count > (all ? 1 : 0), $"the pattern to doctor occurs {count} times");
        return result;
    }
}
