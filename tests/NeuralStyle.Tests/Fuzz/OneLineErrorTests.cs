using Google.Protobuf;
using NeuralStyle.Tests.Mat;
using NeuralStyle.Tests.Onnx;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.Mat;
using NeuralStyle.Weights.Npy;
using NeuralStyle.Weights.Onnx;
using NeuralStyle.Weights.PyTorch;
using Xunit;

namespace NeuralStyle.Tests.Fuzz;

/// <summary>
/// Error messages quote names and text from the file; a control character among them must not break the one-line
/// message (the CLI prints the first line only). Found by the fuzz test: a MAT variable name, a .npy dtype, an ONNX
/// output name and a state file's JSON, each holding a newline, cut their messages short.
/// </summary>
public sealed class OneLineErrorTests
{
    [Fact]
    public void A_mat_variable_name_with_a_newline()
    {
        var w = new MatTestWriter();
        byte[] file = w.File(w.Double("a\nb", [2, 2], [1, 2, 3]));

        var e = Assert.Throws<MatFileException>(() => MatFile.Read(new MemoryStream(file), "bad.mat"));

        AssertOneLine(e, "in a\\nb: real part");
    }

    [Fact]
    public void A_npy_dtype_with_a_newline()
    {
        byte[] file = TestFiles.Npy("{'descr': '<f4\r\n\u001b', 'fortran_order': False, 'shape': (4,), }", 16);

        var e = Assert.Throws<NpyFormatException>(() => NpyFile.Read(new MemoryStream(file), "bad.npy"));

        AssertOneLine(e, "'<f4\\r\\n\\u001B'");
    }

    [Fact]
    public void An_onnx_output_name_with_a_newline()
    {
        var model = ProtoModels.Model([ProtoModels.Node("Relu", ["x"], ["y"])]);
        model.Graph.Output[0].Name = "y\nz";

        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(new MemoryStream(model.ToByteArray()), "bad.onnx"));

        AssertOneLine(e, "graph output 'y\\nz' is not produced");
    }

    [Fact]
    public void A_state_dict_key_with_a_newline()
    {
        byte[] file = TestFiles.Checkpoint(TestFiles.IntegerDictPickle("a\nb"), new byte[4]);

        var e = Assert.Throws<PyTorchFormatException>(() => PyTorchCheckpoint.Read(new MemoryStream(file), "bad.pth"));

        AssertOneLine(e, "entry 'a\\nb' is the integer 1");
    }

    [Fact]
    public void A_state_file_whose_json_quotes_a_newline()
    {
        using var temp = new TempDirectory();
        string path = temp.File("bad.state");
        File.WriteAllBytes(path, TestFiles.State("{\"CompletedIterations\": nul\nl}"));

        var e = Assert.Throws<InvalidDataException>(() => TransferStateFile.Read(path));

        AssertOneLine(e, path);
    }

    private static void AssertOneLine(Exception e, string expected)
    {
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
