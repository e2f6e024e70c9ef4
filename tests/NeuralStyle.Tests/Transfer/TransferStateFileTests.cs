using CsCheck;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

public class TransferStateFileTests
{
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
        TransferStateFile.Write(state, temp.File("s.state"));
        using TransferState back = TransferStateFile.Read(temp.File("s.state"));
        Assert.Equal(7, back.CompletedIterations);
        Assert.Equal(3.5, back.BestLoss);
        Assert.Equal(state.Image.data<float>().ToArray(), back.Image.data<float>().ToArray());
        Assert.Equal(state.Image.shape, back.Image.shape);
        Assert.Equal(0.25f, back.Average!.mean().item<float>());
        Assert.Equal(4f, back.AdamSecondMoment!.mean().item<float>());
        Assert.Null(back.Lbfgs);
    }

    [Fact]
    public void CorruptedFilesFailWithTheFileNamed()
    {
        using var temp = new TempDirectory();
        using (TransferState state = Sample())
        {
            TransferStateFile.Write(state, temp.File("good.state"));
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
