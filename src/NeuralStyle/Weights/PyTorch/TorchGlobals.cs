namespace NeuralStyle.Weights.PyTorch;

/// <summary>What the restricted unpickler makes of a call to a global: the few torch.save needs, and inert objects otherwise.</summary>
internal static class TorchGlobals
{
    /// <summary>The result of calling (REDUCE) or instantiating (NEWOBJ) <paramref name="callable"/> with <paramref name="arguments"/>.</summary>
    public static object Call(PickleGlobal callable, object?[] arguments) => (callable.Module, callable.Name) switch
    {
        ("collections", "OrderedDict") when arguments.Length == 0 => new PickleDict(),
        ("torch._utils", "_rebuild_tensor_v2") => RebuildTensor(arguments, minimum: 6),
        ("torch._utils", "_rebuild_tensor") => RebuildTensor(arguments, minimum: 4),
        ("torch._utils", "_rebuild_parameter" or "_rebuild_parameter_with_state") => arguments.Length > 0 && arguments[0] is TensorReference data
            ? data
            : throw new PickleException("_rebuild_parameter is not given a tensor"),
        _ => new PickleObject(callable, arguments),
    };

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
