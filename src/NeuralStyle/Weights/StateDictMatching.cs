using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Weights;

/// <summary>Copies a state dict, whatever file it came from, into a module: key and shape checks, then a dtype-converting copy.</summary>
/// <remarks>
/// Shared by <see cref="PyTorch.PyTorchCheckpoint.LoadInto"/> and <see cref="StateDictFile.LoadInto"/> so that a
/// torch.save file and a safetensors file are matched against a module by the same rules and report a mismatch in
/// the same words; each format passes its own exception type through <c>error</c>.
/// </remarks>
internal static class StateDictMatching
{
    private const string DataParallelPrefix = "module.";
    private const int ListedKeys = 10;

    /// <summary>Copies <paramref name="saved"/> (not disposed here) into <paramref name="module"/>'s parameters and buffers.</summary>
    /// <param name="module">The module to fill; its tensors keep their own dtype (copy_ converts float64, float16, bfloat16 and integer counters).</param>
    /// <param name="saved">The state dict as read, keys as saved: an nn.DataParallel 'module.' prefix on every key is stripped when the module's keys lack it.</param>
    /// <param name="strict">Require the keys to be exactly the module's. Shapes must match either way.</param>
    /// <param name="error">Makes the exception to throw from a detail message ("the state dict does not match ...").</param>
    public static void CopyInto(nn.Module module, IReadOnlyDictionary<string, Tensor> saved, bool strict, Func<string, Exception> error)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(error);
        Dictionary<string, Tensor> target = module.state_dict();
        Func<string, string> rename = StripsDataParallelPrefix(saved.Keys, target.Keys) ? k => k[DataParallelPrefix.Length..] : k => k;
        var source = saved.ToDictionary(p => rename(p.Key), p => p.Value, StringComparer.Ordinal);
        string[] missing = [.. target.Keys.Where(k => !source.ContainsKey(k))];
        string[] unexpected = [.. source.Keys.Where(k => !target.ContainsKey(k))];
        string[] mismatched = [.. target.Where(p => source.TryGetValue(p.Key, out Tensor? s) && !s.shape.SequenceEqual(p.Value.shape))
            .Select(p => $"{p.Key} (module {Shape(p.Value.shape)}, file {Shape(source[p.Key].shape)})")];
        if (mismatched.Length > 0 || (strict && (missing.Length > 0 || unexpected.Length > 0)))
        {
            throw error($"the state dict does not match the {module.GetType().Name} module: " + string.Join("; ", new[]
            {
                List("missing key", missing),
                List("unexpected key", unexpected),
                mismatched.Length > 0 ? $"{mismatched.Length} shape mismatch{(mismatched.Length == 1 ? "" : "es")}: {string.Join(", ", mismatched)}" : null,
            }.OfType<string>()));
        }

        foreach ((string key, Tensor value) in source.Where(p => target.ContainsKey(p.Key)))
        {
            if (DamagedWeights.Describe(value) is string what)
            {
                throw error($"'{key}': {what}: {DamagedWeights.Advice}");
            }
        }

        using (no_grad())
        {
            foreach ((string key, Tensor destination) in target)
            {
                if (source.TryGetValue(key, out Tensor? value))
                {
                    // copy_ converts the dtype (float64 or float16 weights, int64 counters) into the module's own tensor.
                    destination.copy_(value);
                }
            }
        }
    }

    private static bool StripsDataParallelPrefix(IEnumerable<string> saved, IEnumerable<string> target) =>
        saved.Any() && saved.All(k => k.StartsWith(DataParallelPrefix, StringComparison.Ordinal))
        && !target.All(k => k.StartsWith(DataParallelPrefix, StringComparison.Ordinal));

    private static string? List(string what, string[] keys) => keys.Length == 0
        ? null
        : $"{keys.Length} {what}{(keys.Length == 1 ? "" : "s")}: {string.Join(", ", keys.Take(ListedKeys))}{(keys.Length > ListedKeys ? $", ... ({keys.Length - ListedKeys} more)" : "")}";

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";
}
