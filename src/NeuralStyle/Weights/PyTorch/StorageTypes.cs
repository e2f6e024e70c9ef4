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

    /// <summary>The element type of the storage class a persistent id names (a global torch.XStorage).</summary>
    /// <exception cref="PickleException">It is not a torch storage class this reader knows.</exception>
    /// <remarks>PyTorch names the CPU class whatever the device; torch.cuda.XStorage is accepted too, as old files may hold it (the weights are read to the CPU either way).</remarks>
    public static (ScalarType DType, int ItemSize) FromPickle(object? type) =>
        type is PickleGlobal { Module: "torch" or "torch.cuda" } global && Find(global.Name) is { } kind
            ? kind
            : throw new PickleException($"storage type {PickleMachine.Describe(type)} is not a torch storage type this reader knows");
}
