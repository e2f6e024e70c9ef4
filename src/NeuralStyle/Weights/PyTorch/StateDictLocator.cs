namespace NeuralStyle.Weights.PyTorch;

/// <summary>Finds the state dict in what a checkpoint's pickle built: the top-level dict, or one nested under 'state_dict' or 'model'.</summary>
internal static class StateDictLocator
{
    private static readonly string[] WrapperKeys = ["state_dict", "model"];

    /// <summary>The state dict's (key, tensor) pairs, in file order.</summary>
    /// <exception cref="PickleException">The pickle holds no state dict; the message says what it holds instead.</exception>
    public static List<KeyValuePair<string, TensorReference>> Find(object? root)
    {
        if (root is PickleObject module)
        {
            throw new PickleException($"the file holds a pickled {module.Type} object (torch.save(model) saves the whole module), not a state dict; save model.state_dict() instead");
        }

        if (root is not PickleDict dict)
        {
            throw new PickleException($"the file holds {PickleMachine.Describe(root)}, not a state dict (a dict of tensors)");
        }

        string? problem = Problem(dict, "");
        if (problem is null)
        {
            return Entries(dict);
        }

        string[] wrappers = [.. WrapperKeys.Where(k => dict.Get(k) is PickleDict)];
        if (wrappers.Length > 1)
        {
            throw new PickleException($"the checkpoint has both 'state_dict' and 'model' entries; it is ambiguous which is the state dict");
        }

        if (wrappers.Length == 0)
        {
            string? whole = WrapperKeys.Where(k => dict.Get(k) is PickleObject)
                .Select(k => $"; its '{k}' entry is a pickled {((PickleObject)dict.Get(k)!).Type} object (a whole module), not a state dict")
                .FirstOrDefault();
            throw new PickleException($"the file holds a dict that is not a state dict: {problem}{whole ?? "; nor does it nest one under 'state_dict' or 'model'"}");
        }

        var nested = (PickleDict)dict.Get(wrappers[0])!;
        string? nestedProblem = Problem(nested, $"'{wrappers[0]}' ");
        return nestedProblem is null
            ? Entries(nested)
            : throw new PickleException($"the checkpoint's '{wrappers[0]}' entry is not a state dict: {nestedProblem}");
    }

    private static string? Problem(PickleDict dict, string where)
    {
        foreach ((object key, object? value) in dict.Items)
        {
            if (key is not string name)
            {
                return $"{where}key {PickleMachine.Describe(key)} is not a string";
            }

            if (value is not TensorReference)
            {
                return $"{where}entry '{name}' is {PickleMachine.Describe(value)}, not a tensor";
            }
        }

        return null;
    }

    private static List<KeyValuePair<string, TensorReference>> Entries(PickleDict dict) =>
        [.. dict.Items.Select(i => new KeyValuePair<string, TensorReference>((string)i.Key, (TensorReference)i.Value!))];
}
