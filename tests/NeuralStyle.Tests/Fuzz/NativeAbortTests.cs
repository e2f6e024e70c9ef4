using Google.Protobuf;
using NeuralStyle.Tests.Onnx;
using NeuralStyle.Tests.Support;
using NeuralStyle.Weights.Onnx.Proto;
using Xunit;

namespace NeuralStyle.Tests.Fuzz;

/// <summary>
/// Inputs that made LibTorch abort the process (exit 134) before a managed guard was added; run through the built
/// program in a child process, since an abort in this one would take the whole test host with it.
/// </summary>
public sealed class NativeAbortTests
{
    [Fact]
    public void A_matmul_of_float_by_bool_is_one_error_line()
    {
        // Found as gemm_matmul.onnx with one flipped bit that turned an initializer's data type from FLOAT (1) into
        // BOOL (9): TorchSharp's matmul lets LibTorch's dtype error escape as a C++ exception, which aborts. Here the
        // bool operand is the image's own transpose, so that the shapes fit at any size the program runs the model at.
        ModelProto model = ProtoModels.Model(
        [
            ProtoModels.Node("Transpose", ["x"], ["xt"], "transpose", ProtoModels.Ints("perm", 0, 1, 3, 2)),
            ProtoModels.Node("Cast", ["xt"], ["mask"], "cast", ProtoModels.Int("to", (long)TensorProto.Types.DataType.Bool)),
            ProtoModels.Node("MatMul", ["x", "mask"], ["y"], "mm"),
        ]);
        model.Graph.Input[0] = ProtoModels.Value("x", 1, 3, 8, 8);
        using var temp = new TempDirectory();
        string path = temp.File("bool-matmul.onnx");
        File.WriteAllBytes(path, model.ToByteArray());

        (int code, _, string stderr) = CliProcess.Run(
            "--content", Fixtures.TinyVgg("content.png"), "--styles", Fixtures.TinyVgg("style1.png"), "--output", temp.File("out.png"),
            "--network", path, "--content-layers", "y", "--style-layers", "y", "--width", "16", "--iterations", "1");

        Assert.Equal(1, code);
        // The program's first line names the network; the error is the last, with no trace of an abort or a stack.
        string line = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.DoesNotContain("terminate called", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.True(line.StartsWith($"neural-style: error: {path}: ", StringComparison.Ordinal), line);
        Assert.Contains("cannot multiply Float32 by Bool values", line);
    }
}
