using static TorchSharp.torch;

namespace NeuralStyle.Zoo.Inspection;

/// <summary>The layer names of a zoo model: every submodule that runs, leaf or container.</summary>
public static class ZooLayers
{
    /// <summary>The paths of the modules that run at <paramref name="input"/> in evaluation mode, in the order their outputs become available (a container right after its last child).</summary>
    /// <remarks>A module called twice is listed once, at its first call.</remarks>
    public static IReadOnlyList<string> Names(ZooModel model, InputShape input) => [.. Describe(model, input).Select(l => l.Name)];

    /// <summary>Like <see cref="Names"/>, with each module's type and output shape at batch 1.</summary>
    public static IReadOnlyList<ZooLayer> Describe(ZooModel model, InputShape input)
    {
        var seen = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        return [.. ForwardTrace.Run(model, input).Calls
            .Where(c => seen.Add(c.Module))
            .Select(c => new ZooLayer(c.Path, ModuleTree.TypeName(c.Module), c.OutputShapes.FirstOrDefault() ?? [], ModuleTree.IsLeaf(c.Module)))];
    }
}
