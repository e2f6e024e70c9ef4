using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Npy;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>NpyFile.Write must produce the bytes numpy's np.save produces for the same float32 array.</summary>
public sealed class NpyWriteTests
{
    private static string Fixture(string name) => Path.Combine(Fixtures.Root, "npy", name);

    [Theory]
    [InlineData("f4_2x3.npy", new long[] { 2, 3 })]
    [InlineData("f4_1x2x3x4.npy", new long[] { 1, 2, 3, 4 })]
    [InlineData("f4_7.npy", new long[] { 7 })]
    [InlineData("f4_scalar.npy", new long[0])]
    [InlineData("f4_empty.npy", new long[] { 0 })]
    [InlineData("f4_2x0x3.npy", new long[] { 2, 0, 3 })]
    public void Writes_what_numpy_writes(string file, long[] shape)
    {
        using var temp = new TempDirectory();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        float[] data = [.. Enumerable.Range(0, (int)count).Select(i => (float)NpyReadTests.Formula(i, 'f'))];

        NpyFile.Write(temp.File("ours.npy"), data, shape);

        Assert.Equal(File.ReadAllBytes(Fixture(file)), File.ReadAllBytes(temp.File("ours.npy")));
        Assert.Equal(["ours.npy"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Tensors_round_trip_and_files_are_replaced()
    {
        using var temp = new TempDirectory();
        string path = temp.File("t.npy");
        File.WriteAllText(path, "old contents");
        using Tensor t = randn(2, 3, 5, dtype: ScalarType.Float64).permute(2, 0, 1);

        NpyFile.WriteTensor(path, t);
        using Tensor back = NpyFile.ReadTensor(path);

        Assert.Equal(new long[] { 5, 2, 3 }, back.shape);
        Assert.True(back.allclose(t.to(ScalarType.Float32), 0, 0));
        Assert.Single(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Shapes_that_do_not_fit_the_data_are_refused()
    {
        using var temp = new TempDirectory();
        Assert.Throws<ArgumentException>(() => NpyFile.Write(temp.File("a.npy"), new float[5], [2, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => NpyFile.Write(temp.File("a.npy"), new float[0], [-1, 0]));
        Assert.Empty(Directory.GetFiles(temp.Path));
    }
}
