namespace NeuralStyle.Weights.PyTorch;

/// <summary>What the restricted unpickler makes of a call to a global: the few torch.save needs, and inert objects otherwise.</summary>
internal static class TorchGlobals
{
    /// <summary>
    /// Globals that checkpoints call (REDUCE) besides the ones interpreted: sets in pickled modules, bytes under
    /// protocol 2, NumPy scalars and torch.Size/device beside a state dict. They stay inert objects; torch's own
    /// rebuild functions (torch._utils, torch._tensor) do too, so that a quantized or subclassed tensor is named.
    /// </summary>
    private static readonly HashSet<string> InertCalls = new(StringComparer.Ordinal)
    {
        "__builtin__.set", "builtins.set", "__builtin__.frozenset", "builtins.frozenset", "_codecs.encode",
        "numpy.core.multiarray.scalar", "numpy.core.multiarray._reconstruct", "numpy.dtype", "numpy._core.multiarray.scalar",
        "numpy._core.multiarray._reconstruct", "torch.Size", "torch.device",
    };

    /// <summary>
    /// The result of a REDUCE, which in Python calls <paramref name="callable"/>: a global not on the list is refused
    /// (pickles that run os.system or eval do it this way), although nothing would be called here either way.
    /// </summary>
    public static object Reduce(PickleGlobal callable, object?[] arguments) =>
        callable.Module is "torch._utils" or "torch._tensor" || (callable.Module, callable.Name) is ("collections", "OrderedDict") || InertCalls.Contains(callable.ToString())
            ? Call(callable, arguments)
            : throw new PickleException($"the pickle calls {callable}, which no checkpoint needs: refused (nothing in the file is ever run)");

    /// <summary>The result of instantiating (NEWOBJ) or calling (REDUCE, once allowed) <paramref name="callable"/> with <paramref name="arguments"/>.</summary>
    public static object Call(PickleGlobal callable, object?[] arguments) => (callable.Module, callable.Name) switch
    {
        ("collections", "OrderedDict") when arguments.Length == 0 => new PickleDict(),
        ("collections", "OrderedDict") when arguments is [List<object?> pairs] => FromPairs(pairs),
        ("torch._utils", "_rebuild_tensor_v2") => RebuildTensor(arguments, minimum: 6),
        ("torch._utils", "_rebuild_tensor") => RebuildTensor(arguments, minimum: 4),
        ("torch._utils", "_rebuild_parameter" or "_rebuild_parameter_with_state") => arguments.Length > 0 && arguments[0] is TensorReference data
            ? data
            : throw new PickleException("_rebuild_parameter is not given a tensor"),
        _ => new PickleObject(callable, arguments),
    };

    /// <summary>Python 2's OrderedDict pickles itself as OrderedDict([[key, value], ...]) (PyTorch 0.x files saved under Python 2).</summary>
    private static PickleDict FromPairs(List<object?> pairs)
    {
        var dict = new PickleDict();
        foreach (object? pair in pairs)
        {
            (object? key, object? value) = pair switch
            {
                List<object?> { Count: 2 } l => (l[0], l[1]),
                object?[] { Length: 2 } t => (t[0], t[1]),
                _ => throw new PickleException($"OrderedDict is given {PickleMachine.Describe(pair)} where a [key, value] pair belongs"),
            };
            dict.Set(key ?? throw new PickleException("OrderedDict is given None as a key"), value);
        }

        return dict;
    }

    /// <summary>_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]).</summary>
    private static TensorReference RebuildTensor(object?[] arguments, int minimum)
    {
        if (arguments.Length < minimum || arguments.Length > 7)
        {
            throw new PickleException($"_rebuild_tensor is given {arguments.Length} arguments");
        }

        StorageReference storage = arguments[0] as StorageReference
            ?? throw new PickleException($"_rebuild_tensor's storage is {PickleMachine.Describe(arguments[0])}, not a storage");
        long offset = arguments[1] as long? ?? throw new PickleException($"_rebuild_tensor's storage offset is {PickleMachine.Describe(arguments[1])}");
        long[] shape = Integers(arguments[2], "size");
        long[] stride = Integers(arguments[3], "stride");
        if (shape.Length != stride.Length)
        {
            throw new PickleException($"_rebuild_tensor's size has {shape.Length} dimensions and its stride {stride.Length}");
        }

        storage.Uses++;
        return new TensorReference(storage, offset, shape, stride);
    }

    private static long[] Integers(object? value, string what)
    {
        // torch.Size is pickled as a plain tuple.
        object?[] tuple = value as object?[] ?? throw new PickleException($"_rebuild_tensor's {what} is {PickleMachine.Describe(value)}, not a tuple");
        long[] result = new long[tuple.Length];
        for (int i = 0; i < tuple.Length; i++)
        {
            result[i] = tuple[i] as long? ?? throw new PickleException($"_rebuild_tensor's {what} holds {PickleMachine.Describe(tuple[i])}");
        }

        return result;
    }
}
