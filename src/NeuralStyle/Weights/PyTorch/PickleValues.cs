namespace NeuralStyle.Weights.PyTorch;

/// <summary>A Python global (module.name) named by a pickle; nothing is ever imported or called.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>An instance of a class the reader does not interpret: its class, constructor arguments and state.</summary>
internal sealed class PickleObject(PickleGlobal type, object?[] arguments)
{
    public PickleGlobal Type { get; } = type;

    public object?[] Arguments { get; } = arguments;

    public object? State { get; set; }
}

/// <summary>A Python dict or OrderedDict, in insertion order.</summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object, object?>> items = [];
    private readonly Dictionary<object, int> index = [];

    public IReadOnlyList<KeyValuePair<object, object?>> Items => items;

    public int Count => items.Count;

    public void Set(object key, object? value)
    {
        if (index.TryGetValue(key, out int at))
        {
            items[at] = new(key, value);
        }
        else
        {
            index[key] = items.Count;
            items.Add(new(key, value));
        }
    }

    public object? Get(string key) => index.TryGetValue(key, out int at) ? items[at].Value : null;

    public bool ContainsKey(string key) => index.ContainsKey(key);
}

/// <summary>A tensor storage named by a persistent id: its element type, archive key and element count.</summary>
internal sealed record StorageReference(TorchSharp.torch.ScalarType DType, int ItemSize, string Key, long Count)
{
    /// <summary>How many tensors view this storage (to decide whether a view may keep the storage's memory).</summary>
    public int Uses { get; set; }
}

/// <summary>A tensor as _rebuild_tensor_v2 describes it: a strided view of a storage.</summary>
internal sealed record TensorReference(StorageReference Storage, long Offset, long[] Shape, long[] Stride);
