using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.SafeTensors;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>Hand-built safetensors files that lie or are malformed: each refused with the file, the problem and its offset, before any large allocation.</summary>
public sealed class SafeTensorsHostileTests
{
    /// <summary>8-byte length (the JSON's, unless <paramref name="claimedLength"/> overrides it), the JSON, the data.</summary>
    private static byte[] Build(string json, int dataBytes, ulong? claimedLength = null) => Build(Encoding.UTF8.GetBytes(json), new byte[dataBytes], claimedLength);

    private static byte[] Build(byte[] json, byte[] data, ulong? claimedLength = null)
    {
        byte[] bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, claimedLength ?? (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    /// <summary>Refused by both the header reader and the full reader, quickly and without a large allocation.</summary>
    private static string Rejected(byte[] bytes)
    {
        using var temp = new TempDirectory();
        string path = temp.File("hostile.safetensors");
        File.WriteAllBytes(path, bytes);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Read(path));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 1 << 20, "a hostile file caused a large allocation");
        var headerOnly = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.ReadHeader(path));
        Assert.Equal(e.Detail, headerOnly.Detail);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.SourceName);
        return e.Detail;
    }

    [Fact]
    public void A_valid_hand_built_file_reads_so_that_each_refusal_below_is_about_its_one_change()
    {
        using var temp = new TempDirectory();
        string path = temp.File("good.safetensors");
        byte[] data = new byte[24];
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(0), 1.5f);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(16), -2.25);
        File.WriteAllBytes(path, Build(Encoding.UTF8.GetBytes($"{{\"__metadata__\":{{\"k\":\"v\"}},{Entry("a", "F32", "[2,2]", 0, 16)},{Entry("b", "F64", "[]", 16, 24)}}}    "), data));

        IReadOnlyDictionary<string, Tensor> read = SafeTensorsFile.Read(path);
        using Tensor a = read["a"], b = read["b"];

        Assert.Equal([1.5f, 0f, 0f, 0f], a.flatten().data<float>().ToArray());
        Assert.Equal(-2.25, b.item<double>());
    }

    [Fact]
    public void A_file_shorter_than_the_length_field_is_refused()
    {
        Assert.Equal("the file has 5 bytes, too few for the 8-byte header length of a safetensors file", Rejected([1, 2, 3, 4, 5]));
    }

    [Fact]
    public void A_header_length_past_the_end_of_the_file_is_refused()
    {
        string json = $"{{{Entry("a", "F32", "[1]", 0, 4)}}}";
        Assert.Equal($"the header length at offset 0 is {json.Length + 5} bytes, but only {json.Length + 4} follow it (the file is {json.Length + 12} bytes: truncated, or not a safetensors file)",
            Rejected(Build(json, 4, (ulong)json.Length + 5)));
    }

    [Theory]
    [InlineData(100_000_001UL)]
    [InlineData(1UL << 40)]
    [InlineData(ulong.MaxValue)]
    public void An_absurd_header_length_is_refused_before_anything_is_allocated(ulong claimed)
    {
        Assert.Equal($"the header length at offset 0 is {claimed} bytes, more than the 100000000 a safetensors header may have (not a safetensors file, or a damaged one)",
            Rejected(Build("{}", 0, claimed)));
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",", "the header is not valid JSON", 27)]
    [InlineData("{\"a\" 1}", "the header is not valid JSON", 13)]
    [InlineData("{\"__metadata__\":{},}", "the header is not valid JSON", 27)]
    [InlineData("[1, 2]", "the header does not begin with '{' (a safetensors header is a JSON object)", 8)]
    [InlineData("", "the header does not begin with '{' (a safetensors header is a JSON object)", 8)]
    [InlineData(" {}", "the header does not begin with '{' (a safetensors header is a JSON object)", 8)]
    [InlineData("{}x", "the header has bytes after its JSON object (only space padding may follow it)", 10)]
    [InlineData("{}{}", "the header has bytes after its JSON object (only space padding may follow it)", 10)]
    public void Invalid_json_or_a_header_that_is_not_one_object_is_refused_at_its_offset(string json, string problem, long offset)
    {
        string detail = Rejected(Build(json, 0));
        Assert.StartsWith(problem, detail, StringComparison.Ordinal);
        Assert.EndsWith($"(at file offset {offset})", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_that_is_not_utf8_is_refused_at_the_bad_byte()
    {
        byte[] json = [.. "{\"a"u8, 0xFF, .. "\":{}}"u8];
        Assert.Equal("the header is not valid UTF-8 (at file offset 11)", Rejected(Build(json, [])));
    }

    [Theory]
    [InlineData("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'w' has no dtype")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", "tensor 'w' has no shape")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", "tensor 'w' has no data_offsets")]
    [InlineData("{\"w\":{}}", "tensor 'w' has no dtype and no shape and no data_offsets")]
    [InlineData("{\"w\":[0,4]}", "the entry of tensor 'w' is an array, not an object with dtype, shape and data_offsets")]
    [InlineData("{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'w': dtype is a number, not a string")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}", "tensor 'w': shape is a string, not an array of integers")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,4]}}", "tensor 'w': data_offsets has 3 numbers, not 2 ([begin, end])")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}", "tensor 'w': shape holds 1.0, not an integer")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'w' has 'dtype' twice")]
    public void Entries_with_missing_or_mistyped_fields_are_refused(string json, string problem)
    {
        Assert.StartsWith(problem + " (at file offset ", Rejected(Build(json, 4)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("F17")]
    [InlineData("f32")]
    [InlineData("float32")]
    public void An_unknown_dtype_is_refused_with_the_entry_offset(string dtype)
    {
        Assert.Equal($"tensor 'w' has dtype '{dtype}', which is not a safetensors dtype (at file offset 9)",
            Rejected(Build($"{{{Entry("w", dtype, "[1]", 0, 4)}}}", 4)));
    }

    [Fact]
    public void A_negative_dimension_is_refused_at_the_number()
    {
        string json = $"{{{Entry("w", "F32", "[2,-2]", 0, 16)}}}";
        Assert.Equal($"tensor 'w': shape holds the negative number -2 (at file offset {8 + json.IndexOf("-2", StringComparison.Ordinal)})", Rejected(Build(json, 16)));
    }

    [Theory]
    [InlineData("[4294967296,4294967296,4294967296]", "has more elements than a tensor can address")]
    [InlineData("[0,4294967296,4294967296,4294967296]", "has more elements than a tensor can address")]
    [InlineData("[2305843009213693952]", "of F32 needs more bytes than a file can hold")]
    [InlineData("[18446744073709551615]", "too large for any file or tensor")]
    public void Shapes_whose_byte_count_overflows_are_refused(string shape, string problem)
    {
        Assert.Contains(problem, Rejected(Build($"{{{Entry("w", "F32", shape, 0, 4)}}}", 4)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("F32", "[3]", 0, 16, "data_offsets [0, 16] hold 16 bytes, but shape [3] of F32 needs 12")]
    [InlineData("F16", "[2,2]", 0, 16, "data_offsets [0, 16] hold 16 bytes, but shape [2, 2] of F16 needs 8")]
    [InlineData("F64", "[]", 0, 16, "data_offsets [0, 16] hold 16 bytes, but shape [] of F64 needs 8")]
    [InlineData("F32", "[4]", 8, 0, "data_offsets [8, 0] ends before it begins")]
    public void Data_offsets_that_do_not_match_the_shape_and_dtype_are_refused(string dtype, string shape, long begin, long end, string problem)
    {
        Assert.Equal($"tensor 'w': {problem} (at file offset 9)", Rejected(Build($"{{{Entry("w", dtype, shape, begin, end)}}}", 16)));
    }

    [Fact]
    public void Offsets_past_the_data_region_are_refused_before_the_size_is_compared()
    {
        string json = $"{{{Entry("w", "F32", "[4]", 8, 24)}}}";
        Assert.Equal($"tensor 'w': data_offsets [8, 24] reach past the data region, which has 16 bytes (file offsets {8 + json.Length} to {8 + json.Length + 16}) (at file offset 9)",
            Rejected(Build(json, 16)));
    }

    [Fact]
    public void Overlapping_tensors_are_refused_naming_both()
    {
        string json = $"{{{Entry("a", "F32", "[3]", 0, 12)},{Entry("b", "F32", "[2]", 8, 16)}}}";
        Assert.Equal($"tensors 'a' (data_offsets [0, 12]) and 'b' ([8, 16]) overlap at file offset {8 + json.Length + 8}", Rejected(Build(json, 16)));
    }

    [Fact]
    public void Two_names_for_the_same_bytes_are_overlapping_tensors()
    {
        // The aliasing a pickle allows (tied weights) is not representable: the reference refuses it too.
        string json = $"{{{Entry("a", "F32", "[4]", 0, 16)},{Entry("b", "F32", "[4]", 0, 16)}}}";
        Assert.StartsWith("tensors 'a' (data_offsets [0, 16]) and 'b' ([0, 16]) overlap", Rejected(Build(json, 16)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_hole_between_tensors_is_refused_with_its_file_offsets()
    {
        string json = $"{{{Entry("a", "F32", "[1]", 0, 4)},{Entry("b", "F32", "[1]", 8, 12)}}}";
        long start = 8 + json.Length;
        Assert.Equal($"bytes 4 to 8 of the data region (file offsets {start + 4} to {start + 8}) belong to no tensor; the format forbids holes", Rejected(Build(json, 12)));
    }

    [Fact]
    public void A_hole_before_the_first_tensor_is_refused()
    {
        Assert.StartsWith("bytes 0 to 4 of the data region", Rejected(Build($"{{{Entry("a", "F32", "[1]", 4, 8)}}}", 8)), StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_bytes_after_the_last_tensor_are_refused()
    {
        string json = $"{{{Entry("a", "F32", "[2]", 0, 8)}}}";
        long start = 8 + json.Length;
        Assert.Equal($"the tensors end at byte 8 of the data region, but 3 more bytes follow (file offsets {start + 8} to {start + 11}); the format forbids trailing data", Rejected(Build(json, 11)));
    }

    [Fact]
    public void Data_with_no_tensors_at_all_is_trailing_data()
    {
        Assert.StartsWith("the tensors end at byte 0 of the data region, but 4 more bytes follow", Rejected(Build("{}", 4)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_given_twice_is_refused_at_its_second_occurrence()
    {
        string json = $"{{{Entry("w", "F32", "[1]", 0, 4)},{Entry("w", "U8", "[4]", 0, 4)}}}";
        Assert.Equal($"the name 'w' appears twice in the header (at file offset {8 + json.LastIndexOf("\"w\"", StringComparison.Ordinal)})", Rejected(Build(json, 4)));
    }

    [Theory]
    [InlineData("{\"__metadata__\":{\"epoch\":3}}", "the metadata value of 'epoch' is a number; safetensors metadata maps strings to strings (at file offset 25)")]
    [InlineData("{\"__metadata__\":[\"a\"]}", "'__metadata__' is an array, not an object of strings (at file offset 9)")]
    [InlineData("{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", "the metadata key 'k' appears twice (at file offset 33)")]
    [InlineData("{\"__metadata__\":{},\"__metadata__\":{}}", "the name '__metadata__' appears twice in the header (at file offset 27)")]
    public void Metadata_that_is_not_a_map_of_strings_is_refused(string json, string problem)
    {
        Assert.Equal(problem, Rejected(Build(json, 0)));
    }

    [Fact]
    public void Null_metadata_means_none()
    {
        using var temp = new TempDirectory();
        string path = temp.File("null.safetensors");
        File.WriteAllBytes(path, Build($"{{\"__metadata__\":null,{Entry("w", "U8", "[1]", 0, 1)}}}", 1));

        SafeTensorsHeader header = SafeTensorsFile.ReadHeader(path);

        Assert.Null(header.Metadata);
        Assert.Equal("w", Assert.Single(header.Entries).Name);
    }

    [Fact]
    public void A_control_character_in_a_name_stays_on_one_line_of_the_message()
    {
        Assert.Equal("tensor 'a\\nb' has no shape and no data_offsets (at file offset 9)", Rejected(Build("{\"a\\nb\":{\"dtype\":\"F32\"}}", 0)));
    }

    [Fact]
    public void A_dtype_that_cannot_be_loaded_is_listed_by_the_header_and_refused_only_when_loaded()
    {
        using var temp = new TempDirectory();
        string path = temp.File("u16.safetensors");
        File.WriteAllBytes(path, Build($"{{{Entry("ids", "U16", "[2]", 0, 4)},{Entry("w", "F32", "[1]", 4, 8)}}}", 8));

        SafeTensorsHeader header = SafeTensorsFile.ReadHeader(path);
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Read(path));
        IReadOnlyDictionary<string, Tensor> weights = SafeTensorsFile.Read(path, name => name == "w");

        Assert.Equal(["ids", "w"], header.Entries.Select(x => x.Name));
        Assert.Equal("U16", header.Entries[0].Dtype.Name);
        Assert.Equal($"{path}: tensor 'ids' has dtype U16, which cannot be loaded as weights (loadable: BOOL, U8, I8, I16, F16, BF16, I32, F32, F64, I64)", e.Message);
        using Tensor w = Assert.Single(weights).Value;
        Assert.Equal(ScalarType.Float32, w.dtype);
    }

    [Fact]
    public void Sub_byte_dtypes_must_fill_whole_bytes()
    {
        Assert.Equal("tensor 'w': shape [3] of the 4-bit F4 does not fill whole bytes (at file offset 9)", Rejected(Build($"{{{Entry("w", "F4", "[3]", 0, 2)}}}", 2)));
    }

    [Fact]
    public void A_bool_byte_other_than_0_or_1_is_refused_at_its_offset()
    {
        string json = $"{{{Entry("m", "BOOL", "[3]", 0, 3)}}}";
        using var temp = new TempDirectory();
        string path = temp.File("bool.safetensors");
        File.WriteAllBytes(path, Build(Encoding.UTF8.GetBytes(json), [1, 0, 2]));

        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Read(path));

        Assert.Equal($"tensor 'm' of dtype BOOL holds the byte 2 at file offset {8 + json.Length + 2}; a BOOL element is 0 or 1", e.Detail);
    }

    [Fact]
    public void Unknown_entry_fields_are_ignored_as_the_reference_ignores_them_and_space_padding_is_accepted()
    {
        using var temp = new TempDirectory();
        string path = temp.File("extra.safetensors");
        File.WriteAllBytes(path, Build("{\"w\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2],\"note\":{\"x\":[1,2]}}}  \n  ", 2));

        IReadOnlyDictionary<string, Tensor> read = SafeTensorsFile.Read(path);

        using Tensor w = Assert.Single(read).Value;
        Assert.Equal([2L], w.shape);
    }
}
