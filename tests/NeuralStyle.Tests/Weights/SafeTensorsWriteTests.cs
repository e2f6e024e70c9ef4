using System.Buffers.Binary;
using System.Text;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.SafeTensors;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Weights;

/// <summary>SafeTensorsWriter: the reference's layout byte for byte, bit-exact round trips, refusals that leave no file.</summary>
public sealed class SafeTensorsWriteTests
{
    private static void DisposeAll(IReadOnlyDictionary<string, Tensor> tensors)
    {
        foreach (Tensor t in tensors.Values)
        {
            t.Dispose();
        }
    }

    [Fact]
    public void Rewriting_the_python_fixture_gives_the_same_bytes()
    {
        using var temp = new TempDirectory();
        string source = SafeTensorsReadTests.Fixture("mixed.safetensors");
        SafeTensorsHeader header = SafeTensorsFile.ReadHeader(source);
        IReadOnlyDictionary<string, Tensor> tensors = SafeTensorsFile.Read(source);
        try
        {
            // Given in another order than the file's, so the writer's own sorting is what is tested.
            var shuffled = tensors.Reverse().ToDictionary(p => p.Key, p => p.Value);
            SafeTensorsWriter.Write(temp.File("out.safetensors"), shuffled, header.Metadata);
        }
        finally
        {
            DisposeAll(tensors);
        }

        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(temp.File("out.safetensors")));
        Assert.Equal([temp.File("out.safetensors")], Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Tensors_of_the_four_float_dtypes_round_trip_bit_for_bit_including_non_finite_values_and_views()
    {
        using var temp = new TempDirectory();
        var generator = new TorchSharp.torch.Generator(1313);
        using Tensor big = randn([700, 1000], generator: generator); // 2.8 MB: more than one 1 MiB chunk each way
        big[3, 4] = tensor(float.NaN);
        big[5, 6] = tensor(float.NegativeInfinity);
        big[7, 8] = tensor(-0.0f);
        using Tensor matrix = randn([6, 5], generator: generator);
        var tensors = new Dictionary<string, Tensor>
        {
            ["big"] = big,
            ["transposed"] = matrix.t(), // not contiguous: written in C order of its own shape
            ["half"] = (randn([3, 7], generator: generator) * 100).to(ScalarType.Float16),
            ["bfloat"] = (randn([2, 9], generator: generator) * 1e30).to(ScalarType.BFloat16),
            ["double"] = randn([4, 1, 3], dtype: ScalarType.Float64, generator: generator),
            ["scalar"] = tensor(-1.5), // a C# double: F64
            ["empty"] = zeros([2, 0], ScalarType.Float16),
        };
        string path = temp.File("round.safetensors");

        SafeTensorsWriter.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode ✓" });

        IReadOnlyDictionary<string, Tensor> back = SafeTensorsFile.Read(path);
        try
        {
            Assert.Equal(tensors.Keys.Order(StringComparer.Ordinal), back.Keys.Order(StringComparer.Ordinal));
            foreach ((string name, Tensor original) in tensors)
            {
                Tensor read = back[name];
                Assert.Equal(original.dtype, read.dtype);
                Assert.Equal(original.shape, read.shape);
                using Tensor expected = original.contiguous();
                Assert.True(expected.bytes.SequenceEqual(read.bytes), $"'{name}' differs");
            }

            Assert.True(float.IsNaN(back["big"][3, 4].item<float>()));
        }
        finally
        {
            DisposeAll(back);
            foreach (string name in new[] { "half", "bfloat", "double", "scalar", "empty" })
            {
                tensors[name].Dispose();
            }
        }

        SafeTensorsHeader header = SafeTensorsFile.ReadHeader(path);
        Assert.Equal("ünïcode ✓", header.Metadata!["note"]);
        // Largest alignment first, then by name, so every tensor starts on a multiple of its element size.
        Assert.Equal(["double", "scalar", "big", "transposed", "bfloat", "empty", "half"], header.Entries.Select(e => e.Name));
        Assert.All(header.Entries, e => Assert.Equal(0, (header.DataStart + e.Begin) % (e.Dtype.Bits / 8)));
    }

    [Fact]
    public void The_header_is_compact_json_padded_with_spaces_so_the_data_starts_8_byte_aligned()
    {
        using var temp = new TempDirectory();
        for (int length = 1; length <= 8; length++)
        {
            string path = temp.File($"pad{length}.safetensors");
            using Tensor t = ones(length);
            SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { [new string('w', length)] = t });

            byte[] bytes = File.ReadAllBytes(path);
            long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            string text = Encoding.UTF8.GetString(bytes, 8, (int)n);
            Assert.Equal(0, (8 + n) % 8);
            string json = $"{{\"{new string('w', length)}\":{{\"dtype\":\"F32\",\"shape\":[{length}],\"data_offsets\":[0,{4 * length}]}}}}";
            Assert.Equal(json + new string(' ', (int)n - json.Length), text);
            Assert.InRange(n - json.Length, 0, 7);
            Assert.Equal(8 + n + (4 * length), bytes.Length);
        }
    }

    [Fact]
    public void A_tensor_called_metadata_or_of_a_dtype_safetensors_lacks_is_refused_and_no_file_is_left()
    {
        using var temp = new TempDirectory();
        string path = temp.File("refused.safetensors");
        using Tensor t = ones(2);
        using Tensor complex = zeros([2], ScalarType.ComplexFloat32);

        var named = Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { ["__metadata__"] = t }));
        var typed = Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { ["a"] = t, ["c"] = complex }));

        Assert.Contains("'__metadata__'", named.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'c' has dtype ComplexFloat32", typed.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Writing_over_a_file_replaces_it_whole()
    {
        using var temp = new TempDirectory();
        string path = temp.File("w.safetensors");
        File.WriteAllText(path, "previous contents, much longer than the new file will be .................................");
        using Tensor t = full([3], 7.0f);

        SafeTensorsWriter.Write(path, new Dictionary<string, Tensor> { ["seven"] = t });

        IReadOnlyDictionary<string, Tensor> back = SafeTensorsFile.Read(path);
        using Tensor seven = back["seven"];
        Assert.Equal([7f, 7f, 7f], seven.data<float>().ToArray());
        Assert.Null(SafeTensorsFile.ReadHeader(path).Metadata);
        Assert.Equal([path], Directory.GetFiles(temp.Path));
    }
}
