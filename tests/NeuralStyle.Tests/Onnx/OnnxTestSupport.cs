using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using NeuralStyle.Weights.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Onnx;

/// <summary>A dense array with its shape, in the form both ONNX Runtime and the importer's tensors convert to.</summary>
public sealed record DenseArray(double[] Data, long[] Shape)
{
    /// <summary>The largest absolute value (0 for an empty array).</summary>
    public double MaxAbs => Data.Length == 0 ? 0 : Data.Max(Math.Abs);

    public string ShapeText => "[" + string.Join(",", Shape) + "]";
}

/// <summary>Fixture paths, random inputs, ONNX Runtime as the reference, and the agreement measure.</summary>
public static class OnnxTestSupport
{
    public static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "onnx", file);

    /// <summary>ML.NET's ResNet-18 and its preprocessing model, copied out of the NuGet package by the test project.</summary>
    public static string Model(string file) => Path.Combine(AppContext.BaseDirectory, "models", file);

    /// <summary>Standard normal floats from a fixed seed (Box-Muller on System.Random).</summary>
    public static float[] Normal(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u = 1.0 - random.NextDouble();
            double v = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
        }

        return values;
    }

    /// <summary>A random input for every model input, from its declared (static) shape.</summary>
    public static Dictionary<string, (float[] Data, long[] Shape)> RandomInputs(OnnxModel model, int seed) =>
        model.Inputs.Select((input, k) =>
        {
            long[] shape = input.StaticShape ?? throw new InvalidOperationException($"{input} has no static shape");
            return (input.Name, Data: Normal((int)shape.Aggregate(1L, (p, d) => p * d), seed + k), Shape: shape);
        }).ToDictionary(t => t.Name, t => (t.Data, t.Shape));

    /// <summary>Runs a model (as bytes) in ONNX Runtime, with graph optimisations off so that its kernels see the graph as written.</summary>
    public static Dictionary<string, DenseArray> RunOrt(byte[] model, IReadOnlyDictionary<string, (float[] Data, long[] Shape)> inputs, IReadOnlyList<string> outputs)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 2 };
        using var session = new InferenceSession(model, options);
        return RunOrt(session, inputs, outputs);
    }

    public static Dictionary<string, DenseArray> RunOrt(InferenceSession session, IReadOnlyDictionary<string, (float[] Data, long[] Shape)> inputs, IReadOnlyList<string> outputs)
    {
        string[] names = [.. inputs.Keys];
        OrtValue[] values = [.. names.Select(n => OrtValue.CreateTensorValueFromMemory(inputs[n].Data, inputs[n].Shape))];
        try
        {
            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, names, values, [.. outputs]);
            var dict = new Dictionary<string, DenseArray>();
            for (int i = 0; i < outputs.Count; i++)
            {
                OrtValue r = results[i];
                OrtTensorTypeAndShapeInfo info = r.GetTensorTypeAndShape();
                double[] data = info.ElementDataType switch
                {
                    TensorElementType.Float => [.. r.GetTensorDataAsSpan<float>().ToArray().Select(f => (double)f)],
                    TensorElementType.Int64 => [.. r.GetTensorDataAsSpan<long>().ToArray().Select(l => (double)l)],
                    TensorElementType.Bool => [.. r.GetTensorDataAsSpan<bool>().ToArray().Select(b => b ? 1.0 : 0.0)],
                    var t => throw new NotSupportedException($"ORT output type {t}"),
                };
                dict[outputs[i]] = new DenseArray(data, info.Shape);
            }

            return dict;
        }
        finally
        {
            foreach (OrtValue v in values)
            {
                v.Dispose();
            }
        }
    }

    /// <summary>The same inputs as torch tensors.</summary>
    public static Dictionary<string, Tensor> ToTensors(IReadOnlyDictionary<string, (float[] Data, long[] Shape)> inputs) =>
        inputs.ToDictionary(kv => kv.Key, kv => torch.tensor(kv.Value.Data, kv.Value.Shape));

    /// <summary>Runs the importer on the inputs and converts the tapped values.</summary>
    public static Dictionary<string, DenseArray> RunOurs(OnnxGraph graph, IReadOnlyDictionary<string, (float[] Data, long[] Shape)> inputs, IReadOnlyCollection<string> taps)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        IReadOnlyDictionary<string, Tensor> results = graph.Run(ToTensors(inputs), taps);
        return results.ToDictionary(kv => kv.Key, kv => ToDense(kv.Value));
    }

    public static DenseArray ToDense(Tensor t)
    {
        using Tensor d = t.detach().to_type(ScalarType.Float64).contiguous();
        return new DenseArray(d.data<double>().ToArray(), t.shape);
    }

    /// <summary>max |ours - reference| and max |reference|, after checking that the shapes agree.</summary>
    public static (double MaxAbsDiff, double Scale) Agreement(DenseArray ours, DenseArray reference, string what)
    {
        if (!ours.Shape.SequenceEqual(reference.Shape))
        {
            throw new Xunit.Sdk.XunitException($"{what}: shape {ours.ShapeText}, ONNX Runtime gives {reference.ShapeText}");
        }

        double diff = 0;
        for (int i = 0; i < ours.Data.Length; i++)
        {
            double d = Math.Abs(ours.Data[i] - reference.Data[i]);
            diff = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(diff, d);
        }

        return (diff, reference.MaxAbs);
    }

    /// <summary>Asserts agreement to 1e-4 of the reference's scale, with an absolute floor of 1e-5.</summary>
    public static (double MaxAbsDiff, double Relative) AssertClose(DenseArray ours, DenseArray reference, string what, double relative = 1e-4)
    {
        (double diff, double scale) = Agreement(ours, reference, what);
        double tolerance = Math.Max(relative * scale, 1e-5);
        Xunit.Assert.True(diff <= tolerance, $"{what}: max |ours - ORT| = {diff:g3} > {tolerance:g3} (scale {scale:g3}, shape {ours.ShapeText})");
        return (diff, scale == 0 ? diff : diff / scale);
    }
}
