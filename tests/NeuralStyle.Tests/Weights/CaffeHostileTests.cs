using System.Diagnostics;
using System.Text;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Caffe;
using Xunit;
using static NeuralStyle.Tests.Weights.CaffeWire;

namespace NeuralStyle.Tests.Weights;

/// <summary>Damaged and lying .caffemodel files: each refused with the file, the problem and its offset, before any large allocation.</summary>
public sealed class CaffeHostileTests
{
    private static readonly byte[] GoodBlob = ShapedBlob([2], [1f, 2f]);

    /// <summary>Refused quickly, without a large allocation; returns the exception.</summary>
    private static CaffeFormatException Rejected(byte[] bytes)
    {
        using var temp = new TempDirectory();
        string path = temp.File("hostile.caffemodel");
        File.WriteAllBytes(path, bytes);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<CaffeFormatException>(() => CaffeModelFile.Read(path));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 1 << 20, "a hostile file caused a large allocation");
        Assert.Equal(path, e.SourceName);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void A_hand_built_V2_file_reads_so_the_cases_below_fail_for_their_damage_alone()
    {
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.File("ok.caffemodel"), Layer("conv", "Convolution", GoodBlob));
        using CaffeModel model = CaffeModelFile.Read(temp.File("ok.caffemodel"));
        Assert.Equal([1f, 2f], Assert.Single(Assert.Single(model.Layers).Blobs).Data.data<float>().ToArray());
    }

    [Fact]
    public void A_text_prototxt_is_not_protobuf()
    {
        CaffeFormatException e = Rejected(Encoding.ASCII.GetBytes("name: \"VGG_ILSVRC_19_layers\"\nlayers {\n  name: \"conv1_1\"\n}\n"));
        Assert.Contains("not a protobuf field tag", e.Detail, StringComparison.Ordinal);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void Random_bytes_are_refused_as_not_a_net()
    {
        var random = new Random(13);
        for (int i = 0; i < 20; i++)
        {
            byte[] bytes = new byte[4096];
            random.NextBytes(bytes);
            Assert.NotNull(Rejected(bytes).Offset);
        }
    }

    [Fact]
    public void A_truncated_file_names_the_missing_bytes_and_the_offset_of_the_length_that_overran()
    {
        byte[] whole = File.ReadAllBytes(CaffeReadTests.Fixture("tiny-v2.caffemodel"));
        for (int cut = 40; cut < whole.Length; cut += 97)
        {
            CaffeFormatException e = Rejected(whole[..cut]);
            Assert.Contains("truncated", e.Detail, StringComparison.Ordinal);
            Assert.InRange(e.Offset!.Value, 0, cut);
        }
    }

    [Fact]
    public void A_blob_whose_value_count_does_not_match_its_shape_is_refused()
    {
        CaffeFormatException e = Rejected(Layer("conv", "Convolution", ShapedBlob([2, 2], [1f, 2f, 3f])));
        Assert.Contains("blob 0 has 3 values but its shape [2, 2] needs 4", e.Detail, StringComparison.Ordinal);

        // Legacy 4-d dimensions: 1x1x2x2 = 4 again against 3 values.
        byte[] legacy = Cat(Int(1, 1), Int(2, 1), Int(3, 2), Int(4, 2), Floats(5, 1f, 2f, 3f));
        Assert.Contains("has 3 values but its shape [1, 1, 2, 2] needs 4", Rejected(Layer("c", "Convolution", legacy)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_dimension_is_refused_at_its_offset()
    {
        byte[] layerHead = Cat(Str(1, "conv"), Str(2, "Convolution"));
        byte[] file = Len(100, layerHead, Len(7, Floats(5, 1f), Len(7, Len(1, Varint(unchecked((ulong)-3L))))));
        CaffeFormatException e = Rejected(file);
        Assert.Contains("negative dimension -3", e.Detail, StringComparison.Ordinal);
        // The dim's varint is the file's last ten bytes (a negative int64 takes ten).
        Assert.Equal(file.Length - 10, e.Offset);

        Assert.Contains("negative dimension -1", Rejected(Layer("c", "Convolution", Cat(Int(1, -1), Floats(5, 1f)))).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Dimensions_whose_product_overflows_are_refused()
    {
        CaffeFormatException e = Rejected(Layer("conv", "Convolution", ShapedBlob([1L << 40, 1L << 40], [1f])));
        Assert.Contains("element count overflows", e.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("layer")]
    [InlineData("blob")]
    [InlineData("data")]
    [InlineData("shape")]
    public void A_length_prefix_beyond_the_file_is_refused_before_allocating(string where)
    {
        const long Huge = int.MaxValue - 7;
        byte[] file = where switch
        {
            "layer" => LenClaiming(100, Huge, Str(1, "conv")),
            "blob" => Len(100, Str(1, "conv"), LenClaiming(7, Huge, Floats(5, 1f))),
            "data" => Len(100, Str(1, "conv"), Len(7, LenClaiming(5, Huge, new byte[16]))),
            _ => Len(100, Str(1, "conv"), Len(7, Floats(5, 1f), LenClaiming(7, Huge, new byte[4]))),
        };
        CaffeFormatException e = Rejected(file);
        Assert.Contains($"claims {Huge:N0} bytes", e.Detail, StringComparison.Ordinal);
        Assert.Contains("truncated", e.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("unknown")]
    public void A_lying_length_on_a_string_or_an_unknown_field_fails_as_truncated_without_allocating(string where)
    {
        const long Huge = int.MaxValue - 7;
        byte[] file = Len(100, where == "name" ? LenClaiming(1, Huge, new byte[64]) : LenClaiming(12345, Huge, new byte[64]));
        // The layer's own length is honest, so the lying field overruns the layer: refused by the layer's bound.
        CaffeFormatException e = Rejected(file);
        Assert.NotNull(e.Offset);

        // At the top level the only bound is the file's end.
        byte[] top = where == "name" ? LenClaiming(1, Huge, new byte[64]) : LenClaiming(12345, Huge, new byte[64]);
        Assert.Contains("truncated", Rejected(top).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_length_that_overruns_its_enclosing_message_is_refused()
    {
        // The blob claims 12 bytes, true for the file but 4 more than its layer holds.
        byte[] blob = ShapedBlob([2], [1f, 2f]);
        byte[] layer = Cat(Str(1, "conv"), LenClaiming(7, blob.Length + 4, blob));
        byte[] file = Cat(LenClaiming(100, layer.Length, layer), Str(1, "net"));
        CaffeFormatException e = Rejected(file);
        Assert.Contains("past the end of its enclosing message", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_net_without_blobs_or_without_layers_is_refused()
    {
        Assert.Contains("none of the file's 2 layers has blobs", Rejected(Cat(Layer("relu", "ReLU"), Layer("pool", "Pooling"))).Detail, StringComparison.Ordinal);
        Assert.Contains("holds no Caffe layers", Rejected(Str(1, "just a name")).Detail, StringComparison.Ordinal);
        Assert.Contains("holds no Caffe layers", Rejected([]).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_known_field_with_the_wrong_wire_type_is_refused()
    {
        // Layer name (field 1) as a varint.
        CaffeFormatException e = Rejected(Len(100, Int(1, 5)));
        Assert.Contains("wire type 0, expected 2", e.Detail, StringComparison.Ordinal);
    }
}
