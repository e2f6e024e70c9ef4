using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Npy;
using Xunit;

namespace NeuralStyle.Tests.Weights;

/// <summary>NpyFile.Read against files numpy 1.24 wrote (tests/fixture-scripts/make_npy_fixtures.py).</summary>
public sealed class NpyReadTests
{
    private static string Fixture(string name) => Path.Combine(Fixtures.Root, "npy", name);

    /// <summary>The script's formula for element <paramref name="i"/>, as numpy computes it before the cast.</summary>
    internal static double Formula(long i, char kind) => kind switch
    {
        'f' => ((i * 37) % 101) / 7.0 - 5,
        'u' => (i * 37) % 101,
        _ => ((i * 37) % 101) - 50,
    };

    [Theory]
    [InlineData("f4_2x3.npy", new long[] { 2, 3 }, 'f')]
    [InlineData("f4_1x2x3x4.npy", new long[] { 1, 2, 3, 4 }, 'f')]
    [InlineData("f4_7.npy", new long[] { 7 }, 'f')]
    [InlineData("f4_scalar.npy", new long[0], 'f')]
    [InlineData("f4_empty.npy", new long[] { 0 }, 'f')]
    [InlineData("f4_2x0x3.npy", new long[] { 2, 0, 3 }, 'f')]
    [InlineData("f8_3x5.npy", new long[] { 3, 5 }, 'f')]
    [InlineData("i8_4.npy", new long[] { 4 }, 'i')]
    [InlineData("i4_2x2.npy", new long[] { 2, 2 }, 'i')]
    [InlineData("u1_5.npy", new long[] { 5 }, 'u')]
    [InlineData("v2_f4_3x2.npy", new long[] { 3, 2 }, 'f')]
    [InlineData("v3_f4_3x2.npy", new long[] { 3, 2 }, 'f')]
    public void Reads_numpy_files_as_float32(string file, long[] shape, char kind)
    {
        NpyArray array = NpyFile.Read(Fixture(file));

        Assert.Equal(shape, array.Shape);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        Assert.Equal(count, array.Data.Length);
        for (int i = 0; i < count; i++)
        {
            // float64 files are rounded once, to float32, exactly as a cast of the double value.
            Assert.Equal((float)Formula(i, kind), array.Data[i]);
        }
    }

    [Fact]
    public void Reads_float16_with_its_own_rounding()
    {
        NpyArray array = NpyFile.Read(Fixture("f2_6.npy"));

        Assert.Equal(new long[] { 6 }, array.Shape);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal((float)(Half)Formula(i, 'f'), array.Data[i]);
        }
    }

    [Fact]
    public void Reads_a_tensor_with_the_files_shape()
    {
        using var t = NpyFile.ReadTensor(Fixture("f4_1x2x3x4.npy"));

        Assert.Equal(new long[] { 1, 2, 3, 4 }, t.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, t.dtype);
        Assert.Equal((float)Formula(23, 'f'), t[0, 1, 2, 3].item<float>());
        using var scalar = NpyFile.ReadTensor(Fixture("f4_scalar.npy"));
        Assert.Equal(0, scalar.dim());
        Assert.Equal((float)Formula(0, 'f'), scalar.item<float>());
    }

    [Theory]
    [InlineData("reject_big_endian.npy", "big-endian")]
    [InlineData("reject_fortran.npy", "fortran_order")]
    [InlineData("reject_object.npy", "object dtype")]
    [InlineData("reject_structured.npy", "structured")]
    [InlineData("reject_complex.npy", "'<c8' is not supported")]
    public void Rejects_what_it_cannot_read_naming_the_file_and_the_problem(string file, string problem)
    {
        var e = Assert.Throws<NpyFormatException>(() => NpyFile.Read(Fixture(file)));

        Assert.StartsWith(Fixture(file) + ": ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.IsAssignableFrom<IOException>(e);
    }
}
