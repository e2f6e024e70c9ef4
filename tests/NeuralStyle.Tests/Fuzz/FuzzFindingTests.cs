using Google.Protobuf;
using NeuralStyle.Backbones;
using NeuralStyle.Tests.Mat;
using NeuralStyle.Tests.Onnx;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.Mat;
using NeuralStyle.Weights.MatConvNet;
using NeuralStyle.Weights.Onnx;
using NeuralStyle.Weights.Onnx.Proto;
using NeuralStyle.Weights.PyTorch;
using Xunit;
using static TorchSharp.torch;
using W = NeuralStyle.Tests.Mat.MatTestWriter;

namespace NeuralStyle.Tests.Fuzz;

/// <summary>The fuzz test's other findings, each reduced to the smallest input that shows it.</summary>
public sealed class FuzzFindingTests
{
    [Fact]
    public void Struct_arrays_without_fields_are_not_walked_element_by_element()
    {
        // Found as a damaged count of 1.5e9 in a compressed struct of scipy-v5z.mat: the empty loop over its elements
        // took 3 s, more than 5 s on a busy machine. Eight structs of Array.MaxLength elements (some 30 s of looping
        // before) now read at once.
        var w = new W();
        byte[] payload = W.Concat(w.Element(W.MiInt32, w.I32(32)), w.Element(W.MiInt8, []));
        byte[] empty = w.Matrix(W.ClassStruct, [1, Array.MaxLength], "", payload);
        byte[] file = w.File(w.Cell("c", [1, 8], [.. Enumerable.Repeat(empty, 8)]));

        var target = new FuzzTarget
        {
            Name = "mat",
            Seeds = [],
            Read = (bytes, name) => MatFile.Read(new MemoryStream(bytes), name),
            ClearErrors = [typeof(MatFileException)],
        };

        Verdict verdict = FuzzHarness.Attempt(target, file, "empty-structs.mat");

        Assert.Null(verdict.Problem);
        var cell = Assert.IsType<MatCellArray>(MatFile.Read(new MemoryStream(file), "empty-structs.mat")["c"]);
        var s = Assert.IsType<MatStructArray>(cell[7]);
        Assert.Equal(Array.MaxLength, s.Count);
        Assert.Empty(s.FieldNames);
    }

    [Fact]
    public void A_network_whose_normalization_is_not_one_struct_is_refused()
    {
        // Found as a 65535x0 'normalization' in tiny-vgg-old.mat: MatStructArray's InvalidOperationException escaped.
        var w = new W();
        byte[] names = new byte[32];
        "averageImage"u8.CopyTo(names);
        byte[] empty = w.Matrix(W.ClassStruct, [65535, 0], "normalization", W.Concat(w.Element(W.MiInt32, w.I32(32)), w.Element(W.MiInt8, names)));

        string message = LoadFails(TestFiles.Network(w, Kernel(w), Bias(w), empty));

        Assert.EndsWith("normalization is a 65535x0 struct, expected a single (1x1) struct", message);
    }

    [Fact]
    public void A_network_whose_layer_is_a_struct_array_in_a_cell_is_refused()
    {
        var w = new W();
        // A 2x1 struct: the same fields twice.
        byte[] twice = w.Matrix(W.ClassStruct, [2, 1], "", W.Concat(
            w.Element(W.MiInt32, w.I32(32)), w.Element(W.MiInt8, FieldNames("name", "type")),
            TestFiles.Chars(w, "conv1_1"), TestFiles.Chars(w, "conv"), TestFiles.Chars(w, "conv1_2"), TestFiles.Chars(w, "conv")));

        string message = LoadFails(w.File(w.Cell("layers", [1, 1], twice), TestFiles.Normalization(w)));

        Assert.EndsWith("layers{1} is a 2x1 struct, expected a single (1x1) struct", message);
    }

    [Fact]
    public void A_huge_declared_batch_is_not_evaluated_while_the_graph_is_built()
    {
        // Found as x.shape[0] = 65537 in baked_same.onnx: the graph ran at 65537 x 2 x 15 x 15 to recognise "same"
        // padding (546 MB; more than the 5 s limit on a busy machine).
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(OnnxTestSupport.Fixture("baked_same.onnx")));
        model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimValue = 65537;

        var e = Assert.Throws<OnnxFormatException>(() => ProtoModels.Build(model, "batch.onnx").Dispose());

        Assert.Contains("too large to evaluate while building the graph", e.Message);
    }

    [Fact]
    public void A_huge_lrn_size_gives_the_window_sum_of_the_channels_there_are()
    {
        // Found as size 65536 in normalization.onnx (2.7 s for a 2 x 6 x 5 x 7 input); here the padding it asked for
        // was refused before: size 65536 over 4 channels padded each position's 4 values to 65539.
        float[] result = RunLrn(size: 65536, channels: 4, height: 64, width: 64, seed: 1, out float[] input);

        AssertMatchesReference(input, result, 65536, 4, 64 * 64, tolerance: 1e-6);
    }

    [Fact]
    public void A_wide_lrn_window_over_many_channels_is_summed_in_double_precision()
    {
        // 199 shifts, beyond the 64 summed one by one: the running-sum path.
        float[] result = RunLrn(size: 201, channels: 100, height: 3, width: 2, seed: 2, out float[] input);

        AssertMatchesReference(input, result, 201, 100, 3 * 2, tolerance: 1e-6);
    }

    [Fact]
    public void A_view_that_repeats_one_element_into_gigabytes_is_refused()
    {
        // Size [8192, 8192] with stride [0, 0] over a single stored float: 256 MB to copy out of 4 stored bytes.
        byte[] file = TestFiles.Checkpoint(TestFiles.StateDictPickle("w", 1, [8192, 8192], [0, 0]), new byte[4]);

        var e = Assert.Throws<PyTorchFormatException>(() => PyTorchCheckpoint.Read(new MemoryStream(file), "repeat.pth"));

        Assert.Contains("the tensors hold 67108864 elements in all, far more than the 1 their storages hold", e.Message);
    }

    [Fact]
    public void A_small_expanded_view_still_reads()
    {
        byte[] file = TestFiles.Checkpoint(TestFiles.StateDictPickle("w", 1, [3, 4], [0, 0]), BitConverter.GetBytes(2.5f));

        IReadOnlyDictionary<string, Tensor> state = PyTorchCheckpoint.Read(new MemoryStream(file), "expand.pth");

        using Tensor w = state["w"];
        Assert.Equal([3L, 4L], w.shape);
        Assert.All(w.data<float>().ToArray(), v => Assert.Equal(2.5f, v));
    }

    private static byte[] Kernel(W w) => w.Single("", [1, 1, 3, 2], [1, 2, 3, 4, 5, 6]);

    private static byte[] Bias(W w) => w.Single("", [1, 2], [0, 0]);

    private static byte[] FieldNames(params string[] names)
    {
        byte[] bytes = new byte[32 * names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            System.Text.Encoding.ASCII.GetBytes(names[i]).CopyTo(bytes, 32 * i);
        }

        return bytes;
    }

    private static string LoadFails(byte[] file)
    {
        using var temp = new TempDirectory();
        string path = temp.File("network.mat");
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<NetworkFormatException>(() => MatConvNetVgg.Load(path, PoolingMode.Max).Dispose());
        Assert.StartsWith(path + ": ", e.Message);
        return e.Message;
    }

    private static float[] RunLrn(long size, int channels, int height, int width, int seed, out float[] input)
    {
        var node = ProtoModels.Node("LRN", ["x"], ["y"], "lrn", ProtoModels.Int("size", size));
        var model = ProtoModels.Model([node]);
        model.Graph.Input[0] = ProtoModels.Value("x", 1, channels, height, width);
        input = OnnxTestSupport.Normal(channels * height * width, seed);
        using OnnxGraph graph = ProtoModels.Build(model, "lrn.onnx");
        using Tensor x = tensor(input, [1, channels, height, width]);
        using Tensor y = graph.Run(new Dictionary<string, Tensor> { ["x"] = x })["y"];
        return y.data<float>().ToArray();
    }

    /// <summary>ONNX's LRN with its default alpha, beta and bias, summed in double over the channels that exist.</summary>
    private static void AssertMatchesReference(float[] x, float[] y, long size, int channels, int positions, double tolerance)
    {
        const double alpha = 1e-4, beta = 0.75, bias = 1;
        long before = (size - 1) / 2, after = size - 1 - before;
        for (int c = 0; c < channels; c++)
        {
            for (int p = 0; p < positions; p++)
            {
                double sum = 0;
                for (long k = Math.Max(0, c - before); k <= Math.Min(channels - 1, c + after); k++)
                {
                    double v = x[(k * positions) + p];
                    sum += v * v;
                }

                double expected = x[(c * positions) + p] / Math.Pow(bias + (alpha / size * sum), beta);
                Assert.Equal(expected, y[(c * positions) + p], tolerance);
            }
        }
    }
}
