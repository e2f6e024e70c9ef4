using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Inspection;

/// <summary>A model's submodules by path ("features.0", "layer1.0.conv1"), as PyTorch's named_modules names them.</summary>
internal static class ModuleTree
{
    /// <summary>Every submodule once (the first path it is registered under), depth first, parents before children.</summary>
    public static IReadOnlyList<(string Path, nn.Module Module)> Modules(nn.Module root)
    {
        var seen = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        return [.. Paths(root).Where(p => seen.Add(p.Module))];
    }

    /// <summary>Every path, including second names of a module registered twice.</summary>
    public static IEnumerable<(string Path, nn.Module Module)> Paths(nn.Module root, string prefix = "")
    {
        foreach ((string name, nn.Module child) in root.named_children())
        {
            string path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            yield return (path, child);
            foreach (var descendant in Paths(child, path))
            {
                yield return descendant;
            }
        }
    }

    /// <summary>A module without submodules.</summary>
    public static bool IsLeaf(nn.Module module) => !module.named_children().Any();

    /// <summary>Elements of the parameters the module holds itself (not its submodules').</summary>
    public static long OwnParameters(nn.Module module) => module.parameters(recurse: false).Sum(p => p.numel());

    /// <summary>The type name shown in summaries ("Conv2d", "BasicBlock").</summary>
    public static string TypeName(nn.Module module)
    {
        string name = module.GetType().Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }
}
