using static TorchSharp.torch;

namespace NeuralStyle.Weights.PyTorch;

/// <summary>torch's storage class names and the element types they hold.</summary>
internal static class StorageTypes
{
    private static readonly Dictionary<string, (ScalarType DType, int ItemSize)> Known = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = (ScalarType.Float32, 4),
        ["DoubleStorage"] = (ScalarType.Float64, 8),
        ["HalfStorage"] = (ScalarType.Float16, 2),
        ["BFloat16Storage"] = (ScalarType.BFloat16, 2),
        ["LongStorage"] = (ScalarType.Int64, 8),
        ["IntStorage"] = (ScalarType.Int32, 4),
        ["ShortStorage"] = (ScalarType.Int16, 2),
        ["CharStorage"] = (ScalarType.Int8, 1),
        ["ByteStorage"] = (ScalarType.Byte, 1),
        ["BoolStorage"] = (ScalarType.Bool, 1),
        ["ComplexFloatStorage"] = (ScalarType.ComplexFloat32, 8),
        ["ComplexDoubleStorage"] = (ScalarType.ComplexFloat64, 16),
        ["UntypedStorage"] = (ScalarType.Byte, 1),
    };

    /// <summary>The element type of storage class <paramref name="name"/>, or null if it is not one.</summary>
    public static (ScalarType DType, int ItemSize)? Find(string name) => Known.TryGetValue(name, out var kind) ? kind : null;
}
