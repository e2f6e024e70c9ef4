using NeuralStyle.Backbones;
using NeuralStyle.Tests.Mat;
using NeuralStyle.Tests.Onnx;
using NeuralStyle.Tests.Support;
using NeuralStyle.Transfer;
using NeuralStyle.Weights.MatConvNet;
using NeuralStyle.Weights.Npy;
using NeuralStyle.Weights.Onnx;
using Xunit;

namespace NeuralStyle.Tests.Fuzz;

/// <summary>
/// An empty tensor (a size of 0) has no data to bound its other sizes, and LibTorch refuses sizes whose product
/// overflows 64 bits with a bare ExternalException ("numel: integer multiplication overflow", "Stride calculation
/// overflowed"). Each reader that makes tensors from sizes in the file refuses such sizes itself, naming the file.
/// </summary>
public sealed class EmptyTensorSizeTests
{
    private const long Huge = 1L << 62;

    [Fact]
    public void Npy()
    {
        using var temp = new TempDirectory();
        string path = temp.File("empty.npy");
        File.WriteAllBytes(path, TestFiles.Npy($"{{'descr': '<f4', 'fortran_order': False, 'shape': (0, {Huge}, {Huge}), }}", 0));

        var e = Assert.Throws<NpyFormatException>(() => NpyFile.ReadTensor(path).Dispose());

        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains("holds no elements", e.Message);
    }

    [Fact]
    public void Npy_empty_arrays_of_ordinary_sizes_still_read()
    {
        using var temp = new TempDirectory();
        string path = temp.File("empty.npy");
        File.WriteAllBytes(path, TestFiles.Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 1099511627776), }", 0));

        using var t = NpyFile.ReadTensor(path);

        Assert.Equal([0L, 1L << 40], t.shape);
    }

    [Fact]
    public void State_file()
    {
        using var temp = new TempDirectory();
        string path = temp.File("empty.state");
        File.WriteAllBytes(path, TestFiles.State(TestFiles.StateHeader("image"), ([0, Huge, Huge], [])));

        var e = Assert.Throws<InvalidDataException>(() => TransferStateFile.Read(path).Dispose());

        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains("tensor 'image' has sizes 0x4611686018427387904x4611686018427387904", e.Message);
    }

    [Fact]
    public void Onnx_initializer()
    {
        var model = ProtoModels.Model([ProtoModels.Node("Relu", ["x"], ["y"])], [ProtoModels.Floats("w", [0, Huge, Huge], [])]);

        var e = Assert.Throws<OnnxFormatException>(() => ProtoModels.Build(model, "empty.onnx").Dispose());

        Assert.Contains("initializer 'w' declares dims [0,4611686018427387904,4611686018427387904]", e.Message);
    }

    [Fact]
    public void MatConvNet_kernel()
    {
        var w = new MatTestWriter();
        byte[] file = TestFiles.Network(w, w.Single("", [int.MaxValue, int.MaxValue, 3, 0], []), w.Single("", [1, 0], []));
        using var temp = new TempDirectory();
        string path = temp.File("empty.mat");
        File.WriteAllBytes(path, file);

        var e = Assert.Throws<NetworkFormatException>(() => MatConvNetVgg.Load(path, PoolingMode.Max).Dispose());

        Assert.Contains("layer 'conv1_1' (layers{1}): the kernel 2147483647x2147483647x3x0 is empty", e.Message);
    }
}
