using static TorchSharp.torch;

namespace NeuralStyle.Weights.SafeTensors;

/// <summary>An element type of the safetensors format: its name in the header, its size, and the TorchSharp type it loads as.</summary>
/// <remarks>
/// Every dtype of the format is known, so that the header of any valid file can be checked and listed; only those
/// with a LibTorch counterpart (<see cref="ScalarType"/> not null) can be loaded or written. The sub-byte floats
/// (F4, F6_*) are sized in bits: a tensor of them must fill whole bytes.
/// </remarks>
public sealed class SafeTensorsDtype
{
    // In the order of the reference implementation's Dtype enum, which its writer sorts by (largest alignment first).
    private static readonly SafeTensorsDtype[] All =
    [
        new("BOOL", 8, TorchSharp.torch.ScalarType.Bool),
        new("F4", 4, null),
        new("F6_E2M3", 6, null),
        new("F6_E3M2", 6, null),
        new("U8", 8, TorchSharp.torch.ScalarType.Byte),
        new("I8", 8, TorchSharp.torch.ScalarType.Int8),
        new("F8_E5M2", 8, null),
        new("F8_E4M3", 8, null),
        new("F8_E8M0", 8, null),
        new("I16", 16, TorchSharp.torch.ScalarType.Int16),
        new("U16", 16, null),
        new("F16", 16, TorchSharp.torch.ScalarType.Float16),
        new("BF16", 16, TorchSharp.torch.ScalarType.BFloat16),
        new("I32", 32, TorchSharp.torch.ScalarType.Int32),
        new("U32", 32, null),
        new("F32", 32, TorchSharp.torch.ScalarType.Float32),
        new("C64", 64, null),
        new("F64", 64, TorchSharp.torch.ScalarType.Float64),
        new("I64", 64, TorchSharp.torch.ScalarType.Int64),
        new("U64", 64, null),
    ];

    private SafeTensorsDtype(string name, int bits, ScalarType? scalarType)
    {
        Name = name;
        Bits = bits;
        ScalarType = scalarType;
    }

    /// <summary>The name the header uses ("F32").</summary>
    public string Name { get; }

    /// <summary>The size of one element in bits.</summary>
    public int Bits { get; }

    /// <summary>The position in the reference's Dtype enum; its writer places higher ranks first, which keeps every tensor aligned.</summary>
    public int Rank => Array.IndexOf(All, this);

    /// <summary>The TorchSharp type a tensor of this dtype loads as, or null when it cannot be loaded.</summary>
    public ScalarType? ScalarType { get; }

    /// <summary>The names of the dtypes that load as tensors, for messages.</summary>
    public static string Loadable => string.Join(", ", All.Where(d => d.ScalarType is not null).Select(d => d.Name));

    /// <summary>The dtype called <paramref name="name"/> in a header (case-sensitive, as the format is), or null.</summary>
    public static SafeTensorsDtype? Find(string name) => All.FirstOrDefault(d => d.Name == name);

    /// <summary>The dtype a tensor of <paramref name="type"/> is written as, or null when the format has none for it.</summary>
    public static SafeTensorsDtype? For(ScalarType type) => All.FirstOrDefault(d => d.ScalarType == type);

    /// <inheritdoc />
    public override string ToString() => Name;
}
