using NeuralStyle.Zoo.Blocks;
using NeuralStyle.Runtime;

namespace NeuralStyle.Zoo;

/// <summary>The networks of the seed chapter, by name: build them, describe them.</summary>
public static class ModelZoo
{
    private static readonly Lazy<IReadOnlyDictionary<string, ZooEntry>> Registry = new(Discover);

    /// <summary>Every model name, in the order the families list them (families sorted by year).</summary>
    public static IReadOnlyList<string> Names => [.. Registry.Value.Values.Select(e => e.Info.Name)];

    /// <summary>Every model's description.</summary>
    public static IReadOnlyList<ModelInfo> Models => [.. Registry.Value.Values.Select(e => e.Info)];

    /// <summary>Whether <paramref name="name"/> is a zoo model (case-insensitive).</summary>
    public static bool Contains(string name) => Registry.Value.ContainsKey(name);

    /// <summary>The description of <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such model; the message lists the names.</exception>
    public static ModelInfo Describe(string name) => Entry(name).Info;

    /// <summary>Builds <paramref name="name"/> with random weights, in evaluation mode.</summary>
    /// <exception cref="KeyNotFoundException">No such model; the message lists the names.</exception>
    public static ZooModel Create(string name, ZooOptions? options = null)
    {
        ZooEntry entry = Entry(name);
        TorchRuntime.EnsureInitialized();
        options ??= ZooOptions.Default;
        ZooModel model;
        if (options.Seed is long seed)
        {
            // Every weight from a generator of the build's own: the family's initialisation through ZooInit, the rest
            // drawn afterwards as PyTorch's modules draw them.
            using var generator = new TorchSharp.torch.Generator(unchecked((ulong)seed));
            using (ZooRandom.Building(generator))
            {
                model = entry.Create(options);
                ZooInit.DrawTheRest(model);
            }
        }
        else
        {
            model = entry.Create(options);
        }

        model.eval();
        return model;
    }

    private static ZooEntry Entry(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Registry.Value.TryGetValue(name, out ZooEntry? entry)
            ? entry
            : throw new KeyNotFoundException($"'{name}' is not a zoo model; the models are: {string.Join(", ", Names)}");
    }

    private static IReadOnlyDictionary<string, ZooEntry> Discover()
    {
        IEnumerable<ZooEntry> entries = typeof(ModelZoo).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IModelFamily).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .SelectMany(t => ((IModelFamily)Activator.CreateInstance(t)!).Entries)
            .OrderBy(e => e.Info.Year)
            .ThenBy(e => e.Info.Family, StringComparer.Ordinal);
        var registry = new Dictionary<string, ZooEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (ZooEntry entry in entries)
        {
            if (!registry.TryAdd(entry.Info.Name, entry))
            {
                throw new InvalidOperationException($"two zoo models are named '{entry.Info.Name}'");
            }
        }

        return registry;
    }
}
