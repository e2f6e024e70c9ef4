using System.Globalization;
using NeuralStyle.Weights.Onnx;
using Xunit;
using Xunit.Abstractions;
using static NeuralStyle.Tests.Onnx.OnnxTestSupport;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Onnx;

/// <summary>
/// Every operator the importer supports runs in bfloat16 (<see cref="OnnxGraph.Run(IReadOnlyDictionary{string, Tensor}, IReadOnlyCollection{string}, bool)"/>):
/// each small fixture (together they cover every operator) gives the float32 run's outputs within bfloat16's rounding.
/// </summary>
public sealed class OnnxBf16GraphTests(ITestOutputHelper output)
{
    public static TheoryData<string> Fixtures => new(
        "conv.onnx", "conv1d.onnx", "conv_transpose.onnx", "pool.onnx", "normalization.onnx", "activations.onnx",
        "legacy_opset8.onnx", "shape_ops.onnx", "elementwise.onnx", "gemm_matmul.onnx", "pad.onnx", "torch_cnn.onnx",
        "baked_same.onnx");

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Bf16_outputs_agree_with_fp32_within_bfloat16s_rounding(string file)
    {
        using OnnxGraph graph = OnnxGraph.Load(Fixture(file));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Dictionary<string, Tensor> inputs = ToTensors(RandomInputs(graph.Model, seed: 11));
        string[] outputs = [.. graph.Outputs.Select(o => o.Name)];
        IReadOnlyDictionary<string, Tensor> fp32 = graph.Run(inputs, outputs);
        IReadOnlyDictionary<string, Tensor> bf16 = graph.Run(inputs, outputs, bfloat16: true);
        foreach (string name in outputs)
        {
            Tensor reference = fp32[name], ours = bf16[name];
            Assert.Equal(reference.shape, ours.shape);
            if (!reference.is_floating_point())
            {
                // Shapes and indices are not arithmetic: the same values.
                Assert.Equal(reference.to(ScalarType.Int64).data<long>().ToArray(), ours.to(ScalarType.Int64).data<long>().ToArray());
                continue;
            }

            Assert.Equal(ScalarType.BFloat16, ours.dtype);
            using Tensor wide = ours.to(ScalarType.Float32);
            Assert.True(wide.isfinite().all().item<bool>(), $"{file} '{name}' is not finite in bf16");
            double scale = Math.Max(reference.abs().max().item<float>(), 1e-6);
            double error = (wide - reference).abs().max().item<float>() / scale;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file} '{name}': max error / max |output| {error:0.0e+00}"));
            // These graphs are a few layers deep: a few roundings of 2^-9 and products of two rounded factors
            // (2^-8 of their sums of |terms|) per layer; 5e-2 bounds ten such layers, and a node left out of
            // bfloat16 or computed wrongly (a lost bias, a wrong axis) is off by far more.
            Assert.InRange(error, 0, 5e-2);
        }
    }
}
