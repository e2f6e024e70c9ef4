using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Weights.Onnx;

/// <summary>A constant tensor from the model (an initializer or a Constant node's value), decoded and checked.</summary>
public sealed class OnnxTensorData
{
    internal OnnxTensorData(string name, OnnxDataType dataType, long[] dimensions, Array values)
    {
        Name = name;
        DataType = dataType;
        Dimensions = dimensions;
        Values = values;
    }

    /// <summary>The tensor's name (empty for anonymous attribute tensors).</summary>
    public string Name { get; }

    /// <summary>The element type stored in the file.</summary>
    public OnnxDataType DataType { get; }

    /// <summary>The dimensions; empty for a scalar.</summary>
    public IReadOnlyList<long> Dimensions { get; }

    /// <summary>The number of elements (1 for a scalar).</summary>
    public long ElementCount => Values.LongLength;

    /// <summary>
    /// The elements in row-major order: float[], double[], long[], int[], short[], sbyte[], byte[] or bool[];
    /// FLOAT16 and BFLOAT16 are widened to float[] here and narrowed again in <see cref="ToTensor"/>.
    /// </summary>
    internal Array Values { get; }

    /// <summary>Makes a new tensor holding a copy of the data, without gradient tracking.</summary>
    internal Tensor ToTensor()
    {
        ReadOnlySpan<long> dims = Dimensions.ToArray();
        return Values switch
        {
            float[] f when DataType == OnnxDataType.Float16 => ToNarrowFloat(f, dims, ScalarType.Float16),
            float[] f when DataType == OnnxDataType.BFloat16 => ToNarrowFloat(f, dims, ScalarType.BFloat16),
            float[] f => torch.tensor(f, dims),
            double[] d => torch.tensor(d, dims),
            long[] l => torch.tensor(l, dims),
            int[] i => torch.tensor(i, dims),
            short[] s => torch.tensor(s, dims),
            sbyte[] b => torch.tensor(b, dims),
            byte[] b => torch.tensor(b, dims),
            bool[] b => torch.tensor(b, dims),
            _ => throw new InvalidOperationException($"tensor '{Name}' holds an unexpected array type {Values.GetType()}"),
        };
    }

    private static Tensor ToNarrowFloat(float[] values, ReadOnlySpan<long> dims, ScalarType type)
    {
        using Tensor wide = torch.tensor(values, dims);
        return wide.to_type(type);
    }
}
