using NeuralStyle.Tests.Fuzz;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Transfer;

/// <summary>The state file's parameters (NSSTATE3): saved and read back in any shape, NSSTATE2 files still read, a damaged section named.</summary>
public class TransferStateParametersTests
{
    private static readonly TransferStateOrigin Origin = new(new string('b', 64), "/nets/tiny.mat", 5, 4, new Dictionary<string, string> { ["--parameterization"] = "fourier" });

    // A 1x3x4x5 image with Fourier-like parameters of another shape and Adam's moments of the parameters' shape.
    private static TransferState WithParameters(long[] shape) => new()
    {
        CompletedIterations = 3,
        Image = arange(60, ScalarType.Float32).reshape(1, 3, 4, 5),
        Parameters = arange(shape.Aggregate(1L, (a, b) => a * b), ScalarType.Float32).reshape(shape) - 7.5f,
        Best = null,
        BestLoss = 2.5,
        AdamStep = 3,
        AdamFirstMoment = full(shape, 0.5f),
        AdamSecondMoment = full(shape, 0.25f),
    };

    [Theory]
    [InlineData(new long[] { 1, 3, 4, 3, 2 })]
    [InlineData(new long[] { 85 })]
    [InlineData(new long[] { 2, 1, 3, 7 })]
    public void Parameters_of_any_shape_round_trip_with_the_optimiser_in_their_shape(long[] shape)
    {
        using var temp = new TempDirectory();
        using TransferState state = WithParameters(shape);
        TransferStateFile.Write(state, Origin, temp.File("p.state"));
        Assert.Equal("NSSTATE3"u8.ToArray(), File.ReadAllBytes(temp.File("p.state"))[..8]);

        using TransferState back = TransferStateFile.Read(temp.File("p.state"));
        Assert.NotNull(back.Parameters);
        Assert.Equal(shape, back.Parameters.shape);
        Assert.Equal(ScalarType.Float32, back.Parameters.dtype);
        Assert.Equal(state.Parameters!.data<float>().ToArray(), back.Parameters.data<float>().ToArray());
        Assert.Equal(shape, back.AdamFirstMoment!.shape);
        Assert.Equal(state.Image.data<float>().ToArray(), back.Image.data<float>().ToArray());
        Assert.Equal("fourier", back.Origin!.Options["--parameterization"]);
    }

    [Fact]
    public void A_state_without_parameters_reads_back_without_them()
    {
        using var temp = new TempDirectory();
        using (TransferState state = new()
        {
            CompletedIterations = 1,
            Image = ones(1, 3, 4, 5),
            Best = null,
            BestLoss = 1,
            AdamFirstMoment = ones(1, 3, 4, 5),
            AdamSecondMoment = ones(1, 3, 4, 5),
        })
        {
            TransferStateFile.Write(state, Origin, temp.File("s.state"));
        }

        using TransferState back = TransferStateFile.Read(temp.File("s.state"));
        Assert.Null(back.Parameters);
        Assert.Equal([1L, 3, 4, 5], back.AdamSecondMoment!.shape);
    }

    [Fact]
    public void A_state_of_the_previous_format_still_reads_as_pixels()
    {
        // What neural-style wrote before parameters existed: the same layout under the signature NSSTATE2.
        using var temp = new TempDirectory();
        float[] image = [.. Enumerable.Range(0, 60).Select(i => (float)i)];
        File.WriteAllBytes(temp.File("v2.state"), TestFiles.SignedState("NSSTATE2", TestFiles.StateHeader("image", "adam.m"), ([1, 3, 4, 5], image), ([1, 3, 4, 5], new float[60])));

        using TransferState back = TransferStateFile.Read(temp.File("v2.state"));
        Assert.Null(back.Parameters);
        Assert.Equal(image, back.Image.data<float>().ToArray());
        Assert.NotNull(back.AdamFirstMoment);
    }

    [Fact]
    public void A_previous_format_state_that_names_parameters_is_refused()
    {
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("v2.state"), TestFiles.SignedState("NSSTATE2", TestFiles.StateHeader("image", "parameters"), ([1, 3, 4, 5], new float[60]), ([4], new float[4])));
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => TransferStateFile.Read(temp.File("v2.state")).Dispose());
        Assert.Contains(temp.File("v2.state"), e.Message, StringComparison.Ordinal);
        Assert.Contains("NSSTATE2 state names a 'parameters' tensor", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_parameters_section_is_named_even_under_a_valid_checksum()
    {
        using var temp = new TempDirectory();
        string path = temp.File("t.state");
        // The header promises 12 values, the section holds 5; the checksum is recomputed, so only the layout can tell.
        byte[] file = TestFiles.SignedState("NSSTATE3", TestFiles.StateHeader("image", "parameters"), ([1, 3, 4, 5], new float[60]), ([3, 4], new float[5]));
        File.WriteAllBytes(path, file);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => TransferStateFile.Read(path).Dispose());
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("'parameters'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);

        // Cut short after writing: the checksum is what fails.
        File.WriteAllBytes(path, file[..^40]);
        Assert.Contains("checksum does not match", Assert.Throws<InvalidDataException>(() => TransferStateFile.Read(path).Dispose()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_whose_header_claims_huge_sizes_are_refused_before_allocating()
    {
        using var temp = new TempDirectory();
        string path = temp.File("h.state");
        // 2^40 x 2^20 float32 values would be 4 EiB; the reader compares with the bytes present first.
        File.WriteAllBytes(path, TestFiles.SignedState("NSSTATE3", TestFiles.StateHeader("image", "parameters"), ([1, 3, 4, 5], new float[60]), ([1L << 40, 1L << 20], new float[4])));
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => TransferStateFile.Read(path).Dispose());
        Assert.Contains("tensor 'parameters' declares", e.Message, StringComparison.Ordinal);
        Assert.Contains("more than the file holds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_parameters_are_refused()
    {
        using var temp = new TempDirectory();
        string path = temp.File("e.state");
        File.WriteAllBytes(path, TestFiles.SignedState("NSSTATE3", TestFiles.StateHeader("image", "parameters"), ([1, 3, 4, 5], new float[60]), ([0, 3], [])));
        Assert.Contains("tensor 'parameters' is empty", Assert.Throws<InvalidDataException>(() => TransferStateFile.Read(path).Dispose()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("adam.m")]
    [InlineData("lbfgs.direction")]
    public void Optimiser_tensors_not_in_the_parameters_shape_are_refused(string name)
    {
        // With parameters the optimiser works on them: moments of the image's shape cannot belong to this state.
        using var temp = new TempDirectory();
        string path = temp.File("m.state");
        File.WriteAllBytes(path, TestFiles.SignedState("NSSTATE3", TestFiles.StateHeader("image", "parameters", name), ([1, 3, 4, 5], new float[60]), ([2, 6], new float[12]), ([1, 3, 4, 5], new float[60])));
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => TransferStateFile.Read(path).Dispose());
        Assert.Contains($"tensor '{name}' is 1x3x4x5, the parameters it belongs to 2x6", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Optimiser_tensors_of_a_pixel_state_must_have_the_images_shape()
    {
        using var temp = new TempDirectory();
        string path = temp.File("m.state");
        File.WriteAllBytes(path, TestFiles.SignedState("NSSTATE3", TestFiles.StateHeader("image", "adam.v"), ([1, 3, 4, 5], new float[60]), ([2, 6], new float[12])));
        Assert.Contains("tensor 'adam.v' is 2x6, the image it belongs to 1x3x4x5", Assert.Throws<InvalidDataException>(() => TransferStateFile.Read(path).Dispose()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complex_parameters_are_not_written_as_their_real_part()
    {
        using var temp = new TempDirectory();
        using TransferState state = new()
        {
            CompletedIterations = 1,
            Image = zeros(1, 3, 4, 5),
            Parameters = complex(ones(3, 4), ones(3, 4)),
            Best = null,
            BestLoss = 1,
        };
        ArgumentException e = Assert.Throws<ArgumentException>(() => TransferStateFile.Write(state, Origin, temp.File("c.state")));
        Assert.Contains("view_as_real", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("c.state")));
    }

    [Fact]
    public void The_signature_is_covered_by_the_checksum()
    {
        // Turning an NSSTATE3 file into NSSTATE2 by hand (to fool an older reader) breaks the checksum.
        using var temp = new TempDirectory();
        using (TransferState state = WithParameters([12]))
        {
            TransferStateFile.Write(state, Origin, temp.File("p.state"));
        }

        byte[] data = File.ReadAllBytes(temp.File("p.state"));
        data[7] = (byte)'2';
        File.WriteAllBytes(temp.File("p.state"), data);
        Assert.Contains("checksum does not match", Assert.Throws<InvalidDataException>(() => TransferStateFile.Read(temp.File("p.state")).Dispose()).Message, StringComparison.Ordinal);
    }
}
