using CsCheck;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

public class TransferStateFileTests
{
    private static readonly TransferStateOrigin Origin = new(new string('a', 64), "/nets/tiny.mat", 2, 2, new Dictionary<string, string> { ["--optimizer"] = "adam", ["--style-weight"] = "100" });

    private static TransferState Sample() => new()
    {
        CompletedIterations = 7,
        Image = arange(12, ScalarType.Float32).reshape(1, 3, 2, 2),
        Best = ones(1, 3, 2, 2),
        BestLoss = 3.5,
        Average = full(new long[] { 1, 3, 2, 2 }, 0.25f),
        AverageSteps = 7,
        AdamStep = 7,
        AdamFirstMoment = full(new long[] { 1, 3, 2, 2 }, 2f),
        AdamSecondMoment = full(new long[] { 1, 3, 2, 2 }, 4f),
    };

    [Fact]
    public void RoundTripsEveryTensorAndScalar()
    {
        using var temp = new TempDirectory();
        using TransferState state = Sample();
        TransferStateFile.Write(state, Origin, temp.File("s.state"));
        using TransferState back = TransferStateFile.Read(temp.File("s.state"));
        Assert.Equal(7, back.CompletedIterations);
        Assert.Equal(3.5, back.BestLoss);
        Assert.Equal(state.Image.data<float>().ToArray(), back.Image.data<float>().ToArray());
        Assert.Equal(state.Image.shape, back.Image.shape);
        Assert.Equal(0.25f, back.Average!.mean().item<float>());
        Assert.Equal(4f, back.AdamSecondMoment!.mean().item<float>());
        Assert.Null(back.Lbfgs);
        Assert.Equal(Origin.NetworkSha256, back.Origin!.NetworkSha256);
        Assert.Equal((2, 2), (back.Origin.Width, back.Origin.Height));
        Assert.Equal(Origin.Options.OrderBy(o => o.Key), back.Origin.Options.OrderBy(o => o.Key));
        Assert.False(File.Exists(temp.File("s.state.tmp")));
    }

    [Fact]
    public void AFlippedBitAnywhereIsRefusedByTheChecksum()
    {
        using var temp = new TempDirectory();
        using (TransferState state = Sample())
        {
            TransferStateFile.Write(state, Origin, temp.File("s.state"));
        }

        byte[] good = File.ReadAllBytes(temp.File("s.state"));
        // A float inside the last tensor: the old format read such a file without noticing and resumed from a wrong
        // moment; the position is a value, not a length, so only a checksum can tell.
        foreach (int position in new[] { good.Length - 40, good.Length / 2, 20 })
        {
            byte[] bad = (byte[])good.Clone();
            bad[position] ^= 0x01;
            File.WriteAllBytes(temp.File("bad.state"), bad);
            InvalidDataException e = Assert.Throws<InvalidDataException>(() => TransferStateFile.Read(temp.File("bad.state")).Dispose());
            Assert.Contains(temp.File("bad.state"), e.Message);
            Assert.Contains("checksum does not match", e.Message);
        }
    }

    [Fact]
    public void AStateOfTheOlderFormatIsRefusedWithTheReason()
    {
        using var temp = new TempDirectory();
        byte[] json = "{\"CompletedIterations\":1,\"BestLoss\":1,\"AverageSteps\":0,\"AdamStep\":0,\"Lbfgs\":null,\"Tensors\":[]}"u8.ToArray();
        File.WriteAllBytes(temp.File("old.state"), [.. "NSSTATE1"u8, .. BitConverter.GetBytes(json.Length), .. json]);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => TransferStateFile.Read(temp.File("old.state")).Dispose());
        Assert.Contains(temp.File("old.state"), e.Message);
        Assert.Contains("older neural-style (format NSSTATE1", e.Message);
    }

    [Fact]
    public void AFailedWriteRemovesItsTemporaryFileAndKeepsThePreviousState()
    {
        using var temp = new TempDirectory();
        string path = temp.File("s.state");
        using (TransferState state = Sample())
        {
            TransferStateFile.Write(state, Origin, path);
        }

        byte[] before = File.ReadAllBytes(path);
        using TransferState next = Sample();
        IOException e = Assert.Throws<IOException>(() => TransferStateFile.Write(next, Origin, path, (_, s) => new FullDiskStream(s, 100)));

        Assert.Equal($"cannot write the run state {path}: {FullDiskStream.Message}", e.Message);
        Assert.False(File.Exists(path + ".tmp"), "the temporary file was left behind");
        Assert.Equal(before, File.ReadAllBytes(path));
        using TransferState back = TransferStateFile.Read(path);
        Assert.Equal(7, back.CompletedIterations);
    }

    [Fact]
    public void CorruptedFilesFailWithTheFileNamed()
    {
        using var temp = new TempDirectory();
        using (TransferState state = Sample())
        {
            TransferStateFile.Write(state, Origin, temp.File("good.state"));
        }

        byte[] good = File.ReadAllBytes(temp.File("good.state"));
        // CsCheck runs samples on several threads: each gets its own file.
        Gen.Select(Gen.Int[0, good.Length - 1], Gen.Int[0, 255], Gen.Int[0, good.Length]).Sample((position, value, truncate) =>
        {
            byte[] copy = good[..truncate];
            if (position < copy.Length)
            {
                copy[position] = (byte)value;
            }

            string bad = temp.File($"bad-{Guid.NewGuid():N}.state");
            File.WriteAllBytes(bad, copy);
            try
            {
                TransferStateFile.Read(bad).Dispose();
            }
            catch (InvalidDataException e)
            {
                Assert.Contains(bad, e.Message);
            }
        }, iter: 2000);
    }
}
