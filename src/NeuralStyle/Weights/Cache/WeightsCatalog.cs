namespace NeuralStyle.Weights.Cache;

/// <summary>The known weight files: the built-in ones (<see cref="KnownWeights"/>) and the user's catalog.json.</summary>
/// <remarks>An entry of the user's catalog with a built-in name replaces the built-in one (a studio's own mirror and hash).</remarks>
public sealed class WeightsCatalog
{
    private WeightsCatalog(IReadOnlyList<WeightsEntry> entries) => Entries = entries;

    /// <summary>Every entry: the built-in ones in their order (or the user's replacement), then the user's new ones.</summary>
    public IReadOnlyList<WeightsEntry> Entries { get; }

    /// <summary>The built-in entries extended by <paramref name="locations"/>' catalog.json.</summary>
    /// <exception cref="WeightsCatalogException">catalog.json is not valid.</exception>
    public static WeightsCatalog Load(WeightsLocations locations)
    {
        ArgumentNullException.ThrowIfNull(locations);
        return From(UserCatalog.Read(locations.CatalogFile));
    }

    /// <summary>The built-in entries extended by <paramref name="user"/>.</summary>
    public static WeightsCatalog From(IReadOnlyList<WeightsEntry> user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var entries = KnownWeights.BuiltIn
            .Select(b => user.FirstOrDefault(u => Same(u.Name, b.Name)) ?? b)
            .Concat(user.Where(u => !KnownWeights.BuiltIn.Any(b => Same(u.Name, b.Name))))
            .ToList();
        return new WeightsCatalog(entries);
    }

    /// <summary>The entry named <paramref name="name"/> (case-insensitive), or null.</summary>
    public WeightsEntry? Find(string name) => Entries.FirstOrDefault(e => Same(e.Name, name));

    /// <summary>The entries whose file is called <paramref name="fileName"/>.</summary>
    public IEnumerable<WeightsEntry> WithFileName(string fileName) =>
        Entries.Where(e => string.Equals(e.FileName, fileName, StringComparison.Ordinal));

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
