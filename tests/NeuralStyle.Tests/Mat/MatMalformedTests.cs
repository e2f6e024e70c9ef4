using NeuralStyle.Weights.Mat;
using Xunit;
using static NeuralStyle.Tests.Mat.MatRefusalTests;
using W = NeuralStyle.Tests.Mat.MatTestWriter;

namespace NeuralStyle.Tests.Mat;

/// <summary>Specific malformed inputs: each must give a MatFileException with file, offset and a useful reason.</summary>
public sealed class MatMalformedTests
{
    private readonly W w = new();

    [Fact]
    public void Top_level_length_near_uint_max()
    {
        byte[] file = w.File(w.Matrix(W.ClassDouble, [1, 1], "x", w.Element(W.MiDouble, new byte[8]), lyingCount: 0xFFFFFFF0));
        MatFileException e = ReadBytesFails(file);
        Assert.Equal(128, e.Offset);
        Assert.Contains("claims 4294967280 bytes, but the file has only", e.Message);
    }

    [Fact]
    public void Nested_length_near_uint_max()
    {
        byte[] lying = W.Concat(w.U32(W.MiDouble, 0xFFFFFFF8), new byte[8]);
        MatFileException e = ReadBytesFails(w.File(w.Matrix(W.ClassDouble, [1, 1], "x", lying)));
        Assert.Contains("in x: real part", e.Message);
        Assert.Contains("4294967288", e.Message);
    }

    [Fact]
    public void Lying_length_inside_compressed_element_names_both_offsets()
    {
        byte[] lying = W.Concat(w.U32(W.MiSingle, 0xFFFFFFF0), new byte[16]);
        byte[] inner = w.Matrix(W.ClassSingle, [1, 4], "k", lying);
        byte[] file = w.File(w.Double("first", [1, 1], [1]), w.Compressed(inner));
        long compressedAt = 128 + w.Double("first", [1, 1], [1]).Length;

        MatFileException e = ReadBytesFails(file);

        Assert.Equal(compressedAt, e.Offset);
        Assert.NotNull(e.DecompressedOffset);
        Assert.StartsWith($"bad.mat: byte {compressedAt} (compressed element), decompressed byte ", e.Message);
    }

    [Fact]
    public void Huge_array_claimed_inside_compressed_element_fails_without_allocating_it()
    {
        // 10000 x 10000 singles (400 MB) declared consistently, with 400 KB of incompressible data behind the
        // claim: enough compressed bytes that zlib's 1032:1 bound allows the claim, far too few to back it.
        var noise = new byte[400_000];
        new Random(5).NextBytes(noise);
        byte[] data = W.Concat(w.U32(W.MiSingle, 400_000_000), noise);
        byte[] body = w.Matrix(W.ClassSingle, [10000, 10000], "big", data);
        uint declared = (uint)(body.Length - 8 - noise.Length + 400_000_000);
        byte[] file = w.File(w.Compressed(w.Matrix(W.ClassSingle, [10000, 10000], "big", data, lyingCount: declared)));

        long before = GC.GetAllocatedBytesForCurrentThread();
        MatFileException e = ReadBytesFails(file);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("compressed data ends before", e.Message);
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Claim_beyond_zlibs_expansion_bound_is_refused_at_once()
    {
        byte[] data = W.Concat(w.U32(W.MiSingle, 400_000_000), new byte[64]);
        byte[] file = w.File(w.Compressed(w.Matrix(W.ClassSingle, [10000, 10000], "big", data, lyingCount: 400_000_100)));
        Assert.Contains("claims 400000100 bytes", ReadBytesFails(file).Message);
    }

    [Fact]
    public void Dimension_product_overflow()
    {
        MatFileException e = ReadBytesFails(w.File(w.Matrix(W.ClassDouble, [65536, 65536, 65536], "x", [])));
        Assert.Contains("more elements than can be held in memory", e.Message);
    }

    [Fact]
    public void Dimension_product_overflowing_int_but_with_a_zero_is_an_empty_array()
    {
        MatFileContents contents = MatFile.Read(
            new MemoryStream(w.File(w.Matrix(W.ClassDouble, [int.MaxValue, int.MaxValue, 0], "x", w.Element(W.MiDouble, [])))), "ok.mat");
        var x = Assert.IsType<MatNumericArray>(contents["x"]);
        Assert.Equal(0, x.ElementCount);
        Assert.Equal([int.MaxValue, int.MaxValue, 0], x.Dimensions);
    }

    [Fact]
    public void Negative_dimension()
    {
        Assert.Contains("negative dimension -3", ReadBytesFails(w.File(w.Matrix(W.ClassDouble, [2, -3], "x", []))).Message);
    }

    [Fact]
    public void One_dimension_is_not_enough()
    {
        Assert.Contains("between 2 and", ReadBytesFails(w.File(w.Matrix(W.ClassDouble, [2], "x", []))).Message);
    }

    [Fact]
    public void Element_count_disagreeing_with_dimensions()
    {
        MatFileException e = ReadBytesFails(w.File(w.Double("x", [2, 2], [1, 2, 3])));
        Assert.Contains("dimensions call for 4 values", e.Message);
    }

    [Fact]
    public void Cell_claiming_more_elements_than_bytes_remain()
    {
        MatFileException e = ReadBytesFails(w.File(w.Cell("c", [1000000, 1000], w.Double("", [1, 1], [1]))));
        Assert.Contains("cell claims 1000000000 elements", e.Message);
    }

    [Fact]
    public void Nesting_up_to_the_limit_reads_and_beyond_fails()
    {
        Assert.Equal(MatClass.Cell, MatFile.Read(new MemoryStream(w.File(Nested(64))), "deep.mat")["c"].Class);
        Assert.Contains("nested more than 64 levels", ReadBytesFails(w.File(Nested(65))).Message);

        byte[] Nested(int depth)
        {
            byte[] inner = w.Double("", [1, 1], [1]);
            for (int i = 0; i < depth - 1; i++)
            {
                inner = w.Cell("", [1, 1], inner);
            }

            return w.Cell("c", [1, 1], inner);
        }
    }

    [Fact]
    public void Nesting_far_too_deep_does_not_overflow_the_stack()
    {
        byte[] inner = w.Double("", [1, 1], [1]);
        for (int i = 0; i < 1000; i++)
        {
            inner = w.Cell("", [1, 1], inner);
        }

        Assert.Contains("nested more than 64 levels", ReadBytesFails(w.File(w.Cell("c", [1, 1], inner))).Message);
    }

    [Fact]
    public void Trailing_bytes_that_are_no_element()
    {
        byte[] file = W.Concat(w.File(w.Double("x", [1, 1], [1])), [1, 2, 3]);
        MatFileException e = ReadBytesFails(file);
        Assert.Contains("only 3 byte(s) remain", e.Message);
    }

    [Fact]
    public void Trailing_zero_padding_is_an_error_too()
    {
        byte[] file = W.Concat(w.File(w.Double("x", [1, 1], [1])), new byte[8]);
        Assert.Contains("found unknown type 0", ReadBytesFails(file).Message);
    }

    [Fact]
    public void Corrupt_zlib_data()
    {
        byte[] file = w.File(W.Concat(w.U32(W.MiCompressed, 16), [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));
        Assert.Contains("corrupt compressed data", ReadBytesFails(file).Message);
    }

    [Fact]
    public void Compressed_element_cut_short()
    {
        byte[] compressed = w.Compressed(w.Double("x", [1, 100], [.. Enumerable.Range(0, 100).Select(i => Math.Sqrt(i))]));
        byte[] cut = compressed[..(compressed.Length / 2)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(cut.AsSpan(4), (uint)(cut.Length - 8));
        Assert.Contains("compressed data ends before", ReadBytesFails(w.File(cut)).Message);
    }

    [Fact]
    public void Compressed_element_longer_than_the_file()
    {
        byte[] compressed = w.Compressed(w.Double("x", [1, 1], [1]));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(compressed.AsSpan(4), 100000);
        Assert.Contains("miCOMPRESSED element claims 100000 bytes", ReadBytesFails(w.File(compressed)).Message);
    }

    [Fact]
    public void Duplicate_variable()
    {
        Assert.Contains("'x' appears twice", ReadBytesFails(w.File(w.Double("x", [1, 1], [1]), w.Double("x", [1, 1], [2]))).Message);
    }

    [Fact]
    public void Empty_name_at_top_level()
    {
        Assert.Contains("empty name", ReadBytesFails(w.File(w.Double("", [1, 1], [1]))).Message);
    }

    [Fact]
    public void Small_element_claiming_more_than_four_bytes()
    {
        byte[] small = w.U32((7u << 16) | W.MiDouble, 0);
        Assert.Contains("small data element claims 7 bytes", ReadBytesFails(w.File(w.Matrix(W.ClassDouble, [1, 1], "x", small))).Message);
    }

    [Fact]
    public void Unknown_class()
    {
        Assert.Contains("unknown array class 42", ReadBytesFails(w.File(w.Matrix(42, [1, 1], "x", []))).Message);
    }

    [Fact]
    public void Wrong_top_level_element_type()
    {
        Assert.Contains("expected a variable", ReadBytesFails(w.File(w.Element(W.MiDouble, new byte[8]))).Message);
    }

    [Fact]
    public void Struct_field_names_not_a_multiple_of_their_length()
    {
        byte[] payload = W.Concat(w.Element(W.MiInt32, w.I32(32)), w.Element(W.MiInt8, new byte[40]));
        Assert.Contains("not a multiple of the field name length 32", ReadBytesFails(w.File(w.Matrix(W.ClassStruct, [1, 1], "s", payload))).Message);
    }

    [Fact]
    public void Struct_with_duplicate_field_names()
    {
        byte[] names = new byte[8];
        names[0] = (byte)'a';
        names[4] = (byte)'a';
        byte[] payload = W.Concat(w.Element(W.MiInt32, w.I32(4)), w.Element(W.MiInt8, names));
        Assert.Contains("field name 'a' appears twice", ReadBytesFails(w.File(w.Matrix(W.ClassStruct, [0, 0], "s", payload))).Message);
    }

    [Fact]
    public void Sparse_with_row_index_out_of_range()
    {
        byte[] payload = W.Concat(
            w.Element(W.MiInt32, w.I32(5), allowSmall: false),
            w.Element(W.MiInt32, w.I32(0, 1), allowSmall: false),
            w.Element(W.MiDouble, BitConverter.GetBytes(1.0)));
        Assert.Contains("row index 5 is outside the 2 rows", ReadBytesFails(w.File(w.Matrix(5, [2, 1], "sp", payload))).Message);
    }

    [Fact]
    public void Sparse_with_decreasing_column_starts()
    {
        byte[] payload = W.Concat(
            w.Element(W.MiInt32, w.I32(0, 1), allowSmall: false),
            w.Element(W.MiInt32, w.I32(0, 2, 1), allowSmall: false),
            w.Element(W.MiDouble, new byte[16]));
        Assert.Contains("decrease at column 2", ReadBytesFails(w.File(w.Matrix(5, [2, 2], "sp", payload))).Message);
    }

    [Fact]
    public void Error_inside_nested_containers_names_the_path()
    {
        byte[] bad = w.Double("", [2, 2], [1, 2, 3]);
        byte[] layer = w.Struct("", ["name", "weights"], w.Double("", [1, 1], [0]), w.Cell("", [1, 2], w.Double("", [1, 1], [1]), bad));
        byte[] file = w.File(w.Compressed(w.Cell("layers", [1, 3], w.Double("", [1, 1], [1]), w.Double("", [1, 1], [1]), layer)));
        Assert.Contains("in layers{3}.weights{2}: real part", ReadBytesFails(file).Message);
    }
}
