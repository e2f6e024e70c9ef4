namespace NeuralStyle.Zoo;

/// <summary>A family of zoo models (one file per family). <see cref="ModelZoo"/> finds every implementation by reflection.</summary>
/// <remarks>Implementations must be public, non-abstract and have a public parameterless constructor.</remarks>
public interface IModelFamily
{
    /// <summary>The models of the family.</summary>
    IEnumerable<ZooEntry> Entries { get; }
}

/// <summary>A zoo model: its description and how to build it.</summary>
public sealed record ZooEntry(ModelInfo Info, Func<ZooOptions, ZooModel> Create);
